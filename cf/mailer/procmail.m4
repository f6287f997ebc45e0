PUSHDIVERT(-1)
dnl mailer/procmail.m4 -- procmail as a mailer (e.g. from the mailertable).
dnl Settings: PROCMAIL_MAILER_{PATH,FLAGS,ARGS,MAX,QGRP}; PROCMAIL_PATH.
ifdef(`PROCMAIL_MAILER_PATH', `',
	`define(`PROCMAIL_MAILER_PATH', ifdef(`PROCMAIL_PATH', `PROCMAIL_PATH', `/usr/local/bin/procmail'))')
_DEFIFNOT(`PROCMAIL_MAILER_FLAGS', `SPhnu9')
_DEFIFNOT(`PROCMAIL_MAILER_ARGS', `procmail -Y -m $h $f $u')
define(`_CF_QGRP_', `ifelse(defn(`$1'), `', `', ` Q=$1,')')
POPDIVERT
Mprocmail,	P=PROCMAIL_MAILER_PATH, F=_MODMF_(CONCAT(`DFM', PROCMAIL_MAILER_FLAGS), `PROCMAIL'), S=EnvFromSMTP/HdrFromSMTP, R=EnvToSMTP/HdrFromSMTP,
		ifdef(`PROCMAIL_MAILER_MAX', `M=PROCMAIL_MAILER_MAX, ')T=DNS/RFC822/X-Unix,_CF_QGRP_(`PROCMAIL_MAILER_QGRP')
		A=PROCMAIL_MAILER_ARGS
