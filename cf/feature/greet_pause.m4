divert(-1)
dnl feature/greet_pause.m4 -- wait before the greeting (milliseconds);
dnl GreetPause: access entries override. Argument: default pause.
ifelse(_ARG_, `', `ifdef(`_ACCESS_TABLE_', `',
	`_CF_ERR_(`*** ERROR: FEATURE(`greet_pause') requires FEATURE(`access_db')')')')
define(`_GREET_PAUSE_', `')
LOCAL_RULESETS
SLocal_greet_pause
Sgreet_pause
R$*			$: <$1><?> $| $>"Local_greet_pause" $1
R<$*><?> $| $#$*	$#$2
R<$*><?> $| $*		$: $1
ifdef(`_ACCESS_TABLE_', `dnl
R$+ $| $+		$: $>D < $1 > <?> <! GreetPause> < $2 >
R   $| $+		$: $>A < $1 > <?> <! GreetPause> <>
R<?> <$+>		$: $>A < $1 > <?> <! GreetPause> <>
ifelse(_ARG_, `', `R<?> <$*>		$@', `R<?> <$*>		$# _ARG_')
R<$* <TMPF>> <$*>	$@
R<$+> <$*>		$# $1', `dnl
R$*			$# _ARG_')
