PUSHDIVERT(-1)
dnl mailer/phquery.m4 -- the ph mailer (CCSO nameserver lookups).
dnl Settings: PH_MAILER_{PATH,FLAGS,ARGS,QGRP}.
_DEFIFNOT(`PH_MAILER_PATH', `/usr/local/etc/phquery')
_DEFIFNOT(`PH_MAILER_FLAGS', `ehmu')
_DEFIFNOT(`PH_MAILER_ARGS', `phquery -- $u')
define(`_CF_QGRP_', `ifelse(defn(`$1'), `', `', ` Q=$1,')')
POPDIVERT
Mph,		P=PH_MAILER_PATH, F=_MODMF_(CONCAT(`nrDFM', PH_MAILER_FLAGS), `PH'), S=EnvFromL, R=EnvToL/HdrToL,
		T=DNS/RFC822/X-Unix,_CF_QGRP_(`PH_MAILER_QGRP')
		A=PH_MAILER_ARGS
