PUSHDIVERT(-1)
dnl mailer/local.m4 -- the local mailer (delivery to mailboxes) and prog
dnl (delivery to programs), with their address rulesets.
dnl Settings: LOCAL_MAILER_{PATH,FLAGS,ARGS,EOL,MAX,MAXMSGS,MAXRCPTS,
dnl CHARSET,QGRP,DSN_DIAGNOSTIC_CODE}, LOCAL_SHELL_{PATH,FLAGS,ARGS,DIR},
dnl LOCAL_PROG_QGRP. Flags always present: _DEF_LOCAL_MAILER_FLAGS and
dnl _DEF_LOCAL_SHELL_FLAGS; MODIFY_MAILER_FLAGS(`LOCAL'|`SHELL', ...) edits.
_DEFIFNOT(`_DEF_LOCAL_MAILER_FLAGS', `lsDFMAw5:/|@q')
_DEFIFNOT(`LOCAL_MAILER_FLAGS', `Prmn9')
_DEFIFNOT(`LOCAL_MAILER_PATH', `/bin/mail')
_DEFIFNOT(`LOCAL_MAILER_ARGS', `mail -d $u')
_DEFIFNOT(`LOCAL_MAILER_DSN_DIAGNOSTIC_CODE', `X-Unix')
_DEFIFNOT(`_DEF_LOCAL_SHELL_FLAGS', `lsDFMoq')
_DEFIFNOT(`LOCAL_SHELL_FLAGS', `eu9')
_DEFIFNOT(`LOCAL_SHELL_PATH', `/bin/sh')
_DEFIFNOT(`LOCAL_SHELL_ARGS', `sh -c $u')
_DEFIFNOT(`LOCAL_SHELL_DIR', `$z:/')
define(`LOCAL_RWR', `ifdef(`_LOCAL_LMTP_',
	`S=EnvFromSMTP/HdrFromL, R=EnvToL/HdrToL',
	`S=EnvFromL/HdrFromL, R=EnvToL/HdrToL')')
define(`_CF_QGRP_', `ifelse(defn(`$1'), `', `', ` Q=$1,')')
POPDIVERT
#####  local and prog mailers

SEnvFromL
R<@>			$n			bounces come from the daemon
R@ <@ $*>		$n
R$+			$: $>AddDomain $1
ifdef(`_LOCAL_NO_MASQUERADE_', `dnl', `dnl
R$*			$: $>MasqEnv $1')

SEnvToL
R$+ < @ $* >		$: $1			user part only
ifdef(`confUSERDB_SPEC', `dnl', `dnl
R$+ + $*		$: < $&{addr_type} > $1 + $2
R<e s> $+ + $*		$: $1			senders lose +detail
R< $* > $+		$: $2')

SHdrFromL
R<@>			$n
R@ <@ $*>		$n
R$+			$: $>AddDomain $1
ifdef(`_LOCAL_NO_MASQUERADE_', `dnl', `dnl
R$*			$: $>MasqHdr $1')

SHdrToL
R$+			$: $>AddDomain $1
ifdef(`_ALL_MASQUERADE_', `ifdef(`_LOCAL_NO_MASQUERADE_', `dnl', `dnl
R$*			$: $>MasqHdr $1')',
`R$* < @ *LOCAL* > $*	$: $1 < @ $j . > $2')

SAddDomain
ifdef(`_ALWAYS_ADD_DOMAIN_', `dnl
R$* < @ $* > $*		$@ $1 < @ $2 > $3
ifelse(_ALWAYS_ADD_DOMAIN_, `',
`R$+			$@ $1 < @ *LOCAL* >',
`R$+			$@ $1 < @ _ALWAYS_ADD_DOMAIN_ >')', `dnl')

Mlocal,		P=LOCAL_MAILER_PATH, F=_MODMF_(CONCAT(_DEF_LOCAL_MAILER_FLAGS, LOCAL_MAILER_FLAGS), `LOCAL'), LOCAL_RWR,_OPTINS(`LOCAL_MAILER_EOL', ` E=', `, ')
		_OPTINS(`LOCAL_MAILER_MAX', `M=', `, ')_OPTINS(`LOCAL_MAILER_MAXMSGS', `m=', `, ')_OPTINS(`LOCAL_MAILER_MAXRCPTS', `r=', `, ')_OPTINS(`LOCAL_MAILER_CHARSET', `C=', `, ')T=DNS/RFC822/LOCAL_MAILER_DSN_DIAGNOSTIC_CODE,_CF_QGRP_(`LOCAL_MAILER_QGRP')
		A=LOCAL_MAILER_ARGS
Mprog,		P=LOCAL_SHELL_PATH, F=_MODMF_(CONCAT(_DEF_LOCAL_SHELL_FLAGS, LOCAL_SHELL_FLAGS), `SHELL'), S=EnvFromL/HdrFromL, R=EnvToL/HdrToL, D=LOCAL_SHELL_DIR,
		_OPTINS(`LOCAL_MAILER_MAX', `M=', `, ')T=X-Unix/X-Unix/X-Unix,_CF_QGRP_(`LOCAL_PROG_QGRP')
		A=LOCAL_SHELL_ARGS
