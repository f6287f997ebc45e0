divert(-1)
dnl feature/queuegroup.m4 -- pick the queue group from QGRP: access
dnl entries (address or domain). Argument: default group.
ifdef(`_ACCESS_TABLE_', `',
	`_CF_ERR_(`*** ERROR: FEATURE(`queuegroup') requires FEATURE(`access_db')')')
LOCAL_RULESETS
Squeuegroup
R< $+ >		$1
R $+ @ $+	$: $>SearchList <! qgrp> $| <F:$1@$2> <D:$2> <>
ifelse(_ARG_, `', `R<?>		$@', `R<?>		$# _ARG_')
R<$+>		$# $1
