divert(-1)
dnl feature/use_cw_file.m4 -- read local host names from confCW_FILE.
define(`USE_CW_FILE', `')
