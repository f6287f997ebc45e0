divert(-1)
dnl feature/preserve_luser_host.m4 -- keep the recipient host when
dnl sending to LUSER_RELAY (define LUSER_RELAY first).
ifdef(`LUSER_RELAY', `',
	`_CF_ERR0_(`*** LUSER_RELAY should be defined before FEATURE(`preserve_luser_host')
    ')')
define(`_PRESERVE_LUSER_HOST_', `1')
define(`_NEED_MACRO_MAP_', `1')
