divert(-1)
dnl feature/compat_check.m4 -- check_compat looks up
dnl Compat:sender<@>recipient in the access map (DISCARD, TEMP:, ERROR:).
ifdef(`_ACCESS_TABLE_', `',
	`_CF_ERR_(`FEATURE(`compat_check') requires FEATURE(`access_db')')')
LOCAL_RULESETS
Scheck_compat
R< $+ > $| $+		$: $1 $| $2
R$+ $| < $+ >		$: $1 $| $2
R$+ $| $+		$: <$(access Compat:$1<@>$2 $:OK $)>
R$* $| $*		$@ ok
R< DISCARD:$* >	$#discard $: $1 " - discarded by check_compat"
R< DISCARD $* >	$#discard $: $1 " - discarded by check_compat"
R< TEMP:$* >	$#error $@ TEMPFAIL $: $1 " error from check_compat. Try again later"
R< ERROR:$* >	$#error $@ UNAVAILABLE $: $1 " error from check_compat"
