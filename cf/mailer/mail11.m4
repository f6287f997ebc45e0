PUSHDIVERT(-1)
dnl mailer/mail11.m4 -- DECnet mail11: user@node.DECNET and node::user.
dnl Settings: MAIL11_MAILER_{PATH,FLAGS,ARGS,QGRP}.
_DEFIFNOT(`MAIL11_MAILER_PATH', `/usr/etc/mail11')
_DEFIFNOT(`MAIL11_MAILER_FLAGS', `nsFx')
_DEFIFNOT(`MAIL11_MAILER_ARGS', `mail11 $g $x $h $u')
define(`_USE_DECNET_SYNTAX_')
define(`_LOCAL_', ifdef(`confLOCAL_MAILER', confLOCAL_MAILER, `local'))
define(`_CF_QGRP_', `ifelse(defn(`$1'), `', `', ` Q=$1,')')
POPDIVERT
PUSHDIVERT(3)
R$* < @ $=w .DECNET. >		$#_LOCAL_ $: $1
R$+ < @ $+ .DECNET. >		$#mail11 $@ $2 $: $1
POPDIVERT
PUSHDIVERT(6)
CPDECNET
POPDIVERT
#####  DECnet mail11 mailer

SMail11To
R$+ < @ $- .UUCP >	$: $2 ! $1
R$+ < @ $- .DECNET >	$: $2 :: $1
R$+ < @ $- .LOCAL >	$: $2 :: $1
R$+ < @ $=w. >		$: $2 :: $1
R$=w :: $+		$2
R$+ :: $+		$@ $1 :: $2

SMail11From
R$+			$: $>Mail11To $1
R$w :: $+		$@ $w :: $1

Mmail11, P=MAIL11_MAILER_PATH, F=_MODMF_(MAIL11_MAILER_FLAGS, `MAIL11'), S=Mail11From, R=Mail11To,
	T=DNS/X-DECnet/X-Unix,_CF_QGRP_(`MAIL11_MAILER_QGRP')
	A=MAIL11_MAILER_ARGS
