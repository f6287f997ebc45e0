PUSHDIVERT(-1)
dnl mailer/uucp.m4 -- UUCP mailers: uucp and uucp-old (plain), suucp and
dnl uucp-new (several recipients per call), and after MAILER(smtp) also
dnl uucp-dom and uucp-uudom (domain style addresses).
dnl Settings: UUCP_MAILER_{PATH,ARGS,FLAGS,MAX,CHARSET,QGRP}; UUCP_MAX_SIZE.
_DEFIFNOT(`UUCP_MAILER_PATH', `/usr/bin/uux')
_DEFIFNOT(`UUCP_MAILER_ARGS', `uux - -r -a$g -gC $h!rmail ($u)')
_DEFIFNOT(`UUCP_MAILER_FLAGS', `')
ifdef(`UUCP_MAILER_MAX', `',
	`define(`UUCP_MAILER_MAX', `ifdef(`UUCP_MAX_SIZE', `UUCP_MAX_SIZE', 100000)')')
define(`_CF_QGRP_', `ifelse(defn(`$1'), `', `', ` Q=$1,')')
dnl _CF_UUCP_M_(name, flags, S=, R=)
define(`_CF_UUCP_M_', `M$1,	P=UUCP_MAILER_PATH, F=_MODMF_(CONCAT(`$2', UUCP_MAILER_FLAGS), `UUCP'), S=$3, R=$4,
		M=UUCP_MAILER_MAX, _OPTINS(`UUCP_MAILER_CHARSET', `C=', `, ')T=X-UUCP/X-UUCP/X-Unix,_CF_QGRP_(`UUCP_MAILER_QGRP')
		A=UUCP_MAILER_ARGS')
dnl the bang-path conversion shared by the UUCP rulesets
define(`_CF_UUCP_BANG_', `R:; <@>				$`'@
R$`'* < @ $`'* . > $`'*		$`'1 < @ $`'2 > $`'3
R$`'* < @ $=w >			$`'1
R<@ $- . UUCP > : $+		$`'1 ! $`'2
R<@ $+ > : $+			$`'1 ! $`'2
R$`'* < @ $- . UUCP >		$`'2 ! $`'1
R$`'* < @ $+ >			$`'2 ! $`'1')
define(`_CF_UUCP_OURS_', `R$&h ! $+ ! $+			$`'@ $`'1 ! $`'2
R$&h ! $+			$`'@ $&h ! $`'1
R$+				$: $U ! $`'1
R! $+				$: $k ! $`'1')
POPDIVERT
#####  UUCP mailers

###  FromU: sender, in bang form relative to us
SFromU
R<@>				$n
_CF_UUCP_BANG_
_CF_UUCP_OURS_

###  EnvToU: envelope recipient in bang form
SEnvToU
_CF_UUCP_BANG_

###  HdrToU: header recipient in bang form relative to us
SHdrToU
_CF_UUCP_BANG_
_CF_UUCP_OURS_

ifdef(`_MAILER_smtp_', `#
###  EnvFromUD: domain style sender
SEnvFromUD
R<@>				$n
R$*				$@ $>EnvFromSMTP $1

###  EnvFromUUD: domain style sender turned into a bang path
SEnvFromUUD
R<@>				$n
R$*				$: $>EnvFromSMTP $1
R$* < @ $* . > $*		$1 < @ $2 > $3
R<@ $- . UUCP > : $+		$@ $1 ! $2
R<@ $+ > : $+			$@ $1 ! $2
R$* < @ $- . UUCP >		$@ $2 ! $1
R$* < @ $+ >			$@ $2 ! $1',
`_CF_ERR0_(`*** MAILER(`smtp') must appear before MAILER(`uucp')
    if uucp-dom should be included.')')

PUSHDIVERT(4)
R$* < @ $=Z . UUCP. > $*	$#uucp-uudom $@ $2 $: $1 < @ $2 .UUCP. > $3
R$* < @ $=Y . UUCP. > $*	$#uucp-new $@ $2 $: $1 < @ $2 .UUCP. > $3
R$* < @ $=U . UUCP. > $*	$#uucp-old $@ $2 $: $1 < @ $2 .UUCP. > $3
POPDIVERT
_CF_UUCP_M_(`uucp', `DFMhuUd', `FromU', `EnvToU/HdrToU')
_CF_UUCP_M_(`uucp-old', `DFMhuUd', `FromU', `EnvToU/HdrToU')
_CF_UUCP_M_(`suucp', `mDFMhuUd', `FromU', `EnvToU/HdrToU')
_CF_UUCP_M_(`uucp-new', `mDFMhuUd', `FromU', `EnvToU/HdrToU')
ifdef(`_MAILER_smtp_', `# domain style UUCP mailers
_CF_UUCP_M_(`uucp-dom', `mDFMhud', `EnvFromUD/HdrFromSMTP', ifdef(`_ALL_MASQUERADE_', `EnvToSMTP/HdrFromSMTP', `EnvToSMTP'))
_CF_UUCP_M_(`uucp-uudom', `mDFMhud', `EnvFromUUD/HdrFromSMTP', ifdef(`_ALL_MASQUERADE_', `EnvToSMTP/HdrFromSMTP', `EnvToSMTP'))', `dnl')
