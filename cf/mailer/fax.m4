PUSHDIVERT(-1)
dnl mailer/fax.m4 -- HylaFAX: user@host.FAX.
dnl Settings: FAX_MAILER_{PATH,ARGS,MAX,QGRP}.
_DEFIFNOT(`FAX_MAILER_ARGS', `faxmail -d $u@$h $f')
_DEFIFNOT(`FAX_MAILER_PATH', `/usr/bin/faxmail')
_DEFIFNOT(`FAX_MAILER_MAX', `100000')
define(`_CF_QGRP_', `ifelse(defn(`$1'), `', `', ` Q=$1,')')
POPDIVERT
Mfax,		P=FAX_MAILER_PATH, F=DFMhu, S=14, R=24,
		M=FAX_MAILER_MAX, T=X-Phone/X-FAX/X-Unix,_CF_QGRP_(`FAX_MAILER_QGRP')
		A=FAX_MAILER_ARGS

LOCAL_CONFIG
CPFAX
