divert(-1)
dnl feature/no_default_msa.m4 -- no default MSA listener on port 587.
define(`_NO_MSA_', `1')
