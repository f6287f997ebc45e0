divert(-1)
dnl feature/allmasquerade.m4 -- masquerade header recipients as well.
dnl Must come before MAILER(local) and MAILER(uucp).
ifdef(`_MAILER_local_', `_CF_ERR0_(`*** MAILER(`local') must appear after FEATURE(`allmasquerade')')')
ifdef(`_MAILER_uucp_', `_CF_ERR0_(`*** MAILER(`uucp') must appear after FEATURE(`allmasquerade')')')
define(`_ALL_MASQUERADE_', 1)
