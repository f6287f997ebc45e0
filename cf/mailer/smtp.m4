PUSHDIVERT(-1)
dnl mailer/smtp.m4 -- SMTP mailers: smtp (plain), esmtp (a), smtp8 (8),
dnl dsmtp (a%: on-demand ETRN), relay (a8, for relays and smart hosts).
dnl Settings: SMTP_MAILER_{FLAGS,LL,MAX,MAXMSGS,MAXRCPTS,CHARSET,ARGS,QGRP},
dnl ESMTP_/SMTP8_/DSMTP_MAILER_{ARGS,QGRP}, RELAY_MAILER_{FLAGS,LL,ARGS,
dnl MAXMSGS,CHARSET,QGRP}; base flags _DEF_SMTP_MAILER_FLAGS.
_DEFIFNOT(`_DEF_SMTP_MAILER_FLAGS', `mDFMuX')
_DEFIFNOT(`SMTP_MAILER_FLAGS', `')
_DEFIFNOT(`SMTP_MAILER_LL', `990')
_DEFIFNOT(`RELAY_MAILER_LL', `2040')
_DEFIFNOT(`RELAY_MAILER_FLAGS', `SMTP_MAILER_FLAGS')
_DEFIFNOT(`SMTP_MAILER_ARGS', `TCP $h')
_DEFIFNOT(`ESMTP_MAILER_ARGS', `TCP $h')
_DEFIFNOT(`SMTP8_MAILER_ARGS', `TCP $h')
_DEFIFNOT(`DSMTP_MAILER_ARGS', `TCP $h')
_DEFIFNOT(`RELAY_MAILER_ARGS', `TCP $h')
define(`_CF_QGRP_', `ifelse(defn(`$1'), `', `', ` Q=$1,')')
dnl header recipients are masqueraded too with FEATURE(allmasquerade)
define(`_CF_SMTP_R_', ifdef(`_ALL_MASQUERADE_', `EnvToSMTP/HdrFromSMTP', `EnvToSMTP'))
dnl _CF_SMTP_M_(name, extra flags, FLAGNAME, ARGS, QGRP): one SMTP mailer
define(`_CF_SMTP_M_', `M$1,		P=[IPC], F=_MODMF_(CONCAT(_DEF_SMTP_MAILER_FLAGS, `$2', SMTP_MAILER_FLAGS), `$3'), S=EnvFromSMTP/HdrFromSMTP, R=_CF_SMTP_R_, E=\r\n, L=SMTP_MAILER_LL,
		_OPTINS(`SMTP_MAILER_MAX', `M=', `, ')_OPTINS(`SMTP_MAILER_MAXMSGS', `m=', `, ')_OPTINS(`SMTP_MAILER_MAXRCPTS', `r=', `, ')_OPTINS(`SMTP_MAILER_CHARSET', `C=', `, ')T=DNS/RFC822/SMTP,_CF_QGRP_(`$5')
		A=$4')
POPDIVERT
#####  SMTP mailers

###  MasqSMTP: qualify a bare user with our name
SMasqSMTP
R$* < @ $* > $*		$@ $1 < @ $2 > $3
R$+			$@ $1 < @ *LOCAL* >

###  PseudoToReal: turn pseudo domains (UUCP, BITNET) into real ones
SPseudoToReal
R< @ $+ > $*		$@ < @ $1 > $2
ifdef(`BITNET_RELAY', `R$+ <@ $+ .BITNET. >	$: $1 % $2 .BITNET < @ $B >
R$+.BITNET <@ $~[ $*:$+ >	$: $1 .BITNET < @ $4 >', `dnl')
ifdef(`_NO_UUCP_', `dnl', `
R$+ < @ $+ .UUCP. >	$: < $2 ! > $1
R$+ < @ $* > $*		$@ $1 < @ $2 > $3
R< $&h ! > $- ! $+	$@ $2 < @ $1 .UUCP. >
R< $&h ! > $-.$+ ! $+	$@ $3 < @ $1.$2 >
R< $&h ! > $+		$@ $1 < @ $&h .UUCP. >
R< $+ ! > $+		$: $1 ! $2 < @ $Y >
R$+ < @ $~[ $* : $+ >	$@ $1 < @ $4 >
R$+ < @ >		$: $1 < @ *LOCAL* >')

###  EnvFromSMTP: envelope sender
SEnvFromSMTP
R$+			$: $>PseudoToReal $1
R$* :; <@>		$@
R$*			$: $>MasqSMTP $1
R$+			$: $>MasqEnv $1

###  EnvToSMTP: envelope recipient
SEnvToSMTP
R$+			$: $>PseudoToReal $1
R$+			$: $>MasqSMTP $1
R$* < @ *LOCAL* > $*	$: $1 < @ $j . > $2

###  HdrFromSMTP: header addresses
SHdrFromSMTP
R$+			$: $>PseudoToReal $1
R:; <@>			$@
R$* <@> $*		$@ $1 <@> $2
R< @ $* > $*		$@ < @ $1 > $2
R$*			$: $>MasqSMTP $1
R$+			$: $>MasqHdr $1

###  MasqRelay: header recipients for the relay mailer
SMasqRelay
R$+			$: $>MasqSMTP $1
R$+			$: $>MasqHdr $1

_CF_SMTP_M_(`smtp', `', `SMTP', SMTP_MAILER_ARGS, `SMTP_MAILER_QGRP')
_CF_SMTP_M_(`esmtp', `a', `ESMTP', ESMTP_MAILER_ARGS, `ESMTP_MAILER_QGRP')
_CF_SMTP_M_(`smtp8', `8', `SMTP8', SMTP8_MAILER_ARGS, `SMTP8_MAILER_QGRP')
_CF_SMTP_M_(`dsmtp', `a%', `DSMTP', DSMTP_MAILER_ARGS, `DSMTP_MAILER_QGRP')
Mrelay,		P=[IPC], F=_MODMF_(CONCAT(_DEF_SMTP_MAILER_FLAGS, `a8', RELAY_MAILER_FLAGS), `RELAY'), S=EnvFromSMTP/HdrFromSMTP, R=ifdef(`_ALL_MASQUERADE_', `MasqSMTP/MasqRelay', `MasqSMTP'), E=\r\n, L=RELAY_MAILER_LL,
		_OPTINS(`RELAY_MAILER_CHARSET', `C=', `, ')_OPTINS(`RELAY_MAILER_MAXMSGS', `m=', `, ')_OPTINS(`SMTP_MAILER_MAXRCPTS', `r=', `, ')T=DNS/RFC822/SMTP,_CF_QGRP_(`RELAY_MAILER_QGRP')
		A=RELAY_MAILER_ARGS
