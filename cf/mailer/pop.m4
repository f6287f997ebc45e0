PUSHDIVERT(-1)
dnl mailer/pop.m4 -- MH spop: user@POP.
dnl Settings: POP_MAILER_{PATH,FLAGS,ARGS,QGRP}.
_DEFIFNOT(`POP_MAILER_PATH', `/usr/lib/mh/spop')
_DEFIFNOT(`POP_MAILER_FLAGS', `Penu')
_DEFIFNOT(`POP_MAILER_ARGS', `pop $u')
define(`_CF_QGRP_', `ifelse(defn(`$1'), `', `', ` Q=$1,')')
POPDIVERT
Mpop,		P=POP_MAILER_PATH, F=_MODMF_(CONCAT(`lsDFMq', POP_MAILER_FLAGS), `POP'), S=EnvFromL, R=EnvToL/HdrToL,
		T=DNS/RFC822/X-Unix,_CF_QGRP_(`POP_MAILER_QGRP')
		A=POP_MAILER_ARGS

LOCAL_CONFIG
CPPOP
