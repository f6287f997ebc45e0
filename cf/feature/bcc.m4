divert(-1)
dnl feature/bcc.m4 -- add a Bcc envelope recipient for mail to listed
dnl domains. Arguments: [map spec | `access'], address to add, [text
dnl replacing the address], [map canonifying the added recipient].
ifelse(lower(_ARG_), `access', `define(`_BCC_ACCESS_', `1')')
define(`_ADD_BCC_', `1')
ifdef(`_BCC_ACCESS_', `ifdef(`_ACCESS_TABLE_', `',
	`_CF_ERR_(`*** ERROR: FEATURE(`bcc') requires FEATURE(`access_db')')')',
`LOCAL_CONFIG
Kbcctable ifelse(defn(`_ARG_'), `', `DATABASE_MAP_TYPE MAIL_SETTINGS_DIR`'bcctable', `_ARG_')')
LOCAL_CONFIG
O AddBcc=true
ifelse(_ARG2_, `', `', `
DA`'_ARG2_')
ifelse(_ARG4_, `', `', `define(`_CANONIFY_BCC_', `1')define(`_NEED_SMTPOPMODES_', `1')dnl
KcanonicalRcpt _ARG4_
')dnl
LOCAL_RULESETS
Sbcc
R< $+ >			$1
ifdef(`_BCC_ACCESS_', `dnl
R$+ @ $+		$: $1@$2 $| $>SearchList <! bcc> $| <D:$2> <>',
`R$+ @ $+		$: $1@$2 $| $>BCC $2')
R$* $| <?>		$@
R$* $| $*		$: ifelse(_ARG3_, `', `$1', `_ARG3_')
ifdef(`_CANONIFY_BCC_', `dnl
R$+ @ $+		$: $1@$2 $| <$(canonicalRcpt $1 @ $2 $: $)>
R$* $| <>		$@
R$* $| <$* <TMPF>>	$#error $@ 4.3.0 $: _TMPFMSG_(`BCC')
R$* $| <$+>		$@ $2
')
ifdef(`_BCC_ACCESS_', `', `
SBCC
R$+		$: $1 < $(bcctable $1 $: ? $) >
R$- . $+ <?>	$: $2 < $(bcctable .$2 $: ? $) >
R$- . $+ <?>	$: $>BCC $2
R$* <$*>	$: <$2>
')
