divert(-1)
dnl feature/local_no_masquerade.m4 -- no masquerading for mail to the
dnl local mailer. Must come before MAILER(local).
ifdef(`_MAILER_local_', `_CF_ERR0_(`*** MAILER(`local') must appear after FEATURE(`local_no_masquerade')')')
define(`_LOCAL_NO_MASQUERADE_', `1')
