divert(-1)
dnl feature/use_ct_file.m4 -- read trusted users from confCT_FILE.
define(`_USE_CT_FILE_', `')
