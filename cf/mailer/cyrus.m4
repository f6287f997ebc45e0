PUSHDIVERT(-1)
dnl mailer/cyrus.m4 -- Cyrus IMAP delivery (cyrus: user mailbox, cyrusbb:
dnl bulletin boards). Settings: CYRUS_MAILER_{PATH,FLAGS,ARGS,USER,MAX,QGRP},
dnl CYRUS_BB_MAILER_{FLAGS,ARGS}. Paths as in Debian's cyrus packages.
_DEFIFNOT(`CYRUS_MAILER_FLAGS', `Ah5@/:|')
_DEFIFNOT(`CYRUS_MAILER_PATH', `/usr/sbin/cyrdeliver')
_DEFIFNOT(`CYRUS_MAILER_ARGS', `cyrdeliver -e -m $h -- $u')
_DEFIFNOT(`CYRUS_MAILER_USER', `cyrus:mail')
_DEFIFNOT(`CYRUS_BB_MAILER_FLAGS', `u')
_DEFIFNOT(`CYRUS_BB_MAILER_ARGS', `cyrdeliver -e -m $u')
define(`_CF_QGRP_', `ifelse(defn(`$1'), `', `', ` Q=$1,')')
POPDIVERT
Mcyrus,		P=CYRUS_MAILER_PATH, F=_MODMF_(CONCAT(`lsDFMnPq', CYRUS_MAILER_FLAGS), `CYRUS'), S=EnvFromL, R=EnvToL/HdrToL,
		ifdef(`CYRUS_MAILER_MAX', `M=CYRUS_MAILER_MAX, ')U=CYRUS_MAILER_USER, T=DNS/RFC822/X-Unix,_CF_QGRP_(`CYRUS_MAILER_QGRP')
		A=CYRUS_MAILER_ARGS
Mcyrusbb,	P=CYRUS_MAILER_PATH, F=_MODMF_(CONCAT(`lsDFMnP', CYRUS_BB_MAILER_FLAGS), `CYRUS'), S=EnvFromL, R=EnvToL/HdrToL,
		ifdef(`CYRUS_MAILER_MAX', `M=CYRUS_MAILER_MAX, ')U=CYRUS_MAILER_USER, T=DNS/RFC822/X-Unix,_CF_QGRP_(`CYRUS_MAILER_QGRP')
		A=CYRUS_BB_MAILER_ARGS
