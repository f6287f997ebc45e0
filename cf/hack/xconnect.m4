divert(-1)
dnl hack/xconnect.m4 -- x_connect ruleset: XConnect: access entries for the
dnl client decide whether the XCONNECT command is honoured.
divert(0)
VERSIONID(`hack/xconnect.m4 (our tree)')
divert(-1)
ifdef(`_ACCESS_TABLE_', `dnl
LOCAL_RULESETS
Sx_connect
R$+ $| $+		$: $>D < $1 > <?> <! XConnect> < $2 >
R   $| $+		$: $>A < $1 > <?> <! XConnect> <>
R<?> <$+>		$: $>A < $1 > <?> <! XConnect> <>
R<?> <$*>		$# no
R<$+> <$*>		$@ yes
divert(-1)', `_CF_ERR_(`*** ERROR: HACK(xconnect) requires FEATURE(access_db)')')
