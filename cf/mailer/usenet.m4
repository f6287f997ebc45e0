PUSHDIVERT(-1)
dnl mailer/usenet.m4 -- post to news: user@... .USENET or group.USENET.
dnl Settings: USENET_MAILER_{PATH,FLAGS,ARGS,MAX,QGRP}.
_DEFIFNOT(`USENET_MAILER_PATH', `/usr/lib/news/inews')
_DEFIFNOT(`USENET_MAILER_FLAGS', `rsDFMmn')
_DEFIFNOT(`USENET_MAILER_ARGS', `inews -m -h -n')
define(`_CF_QGRP_', `ifelse(defn(`$1'), `', `', ` Q=$1,')')
POPDIVERT
Musenet,	P=USENET_MAILER_PATH, F=_MODMF_(USENET_MAILER_FLAGS, `USENET'), S=EnvFromL, R=EnvToL,
		_OPTINS(`USENET_MAILER_MAX', `M=', `, ')T=X-Usenet/X-Usenet/X-Unix,_CF_QGRP_(`USENET_MAILER_QGRP')
		A=USENET_MAILER_ARGS $u
