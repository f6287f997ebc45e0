divert(-1)
dnl feature/enhdnsbl.m4 -- DNS blocklist with result matching.
dnl Arguments: zone, [message | `quarantine' | `discard'], [`t' | tempfail
dnl message], [result patterns (LHS syntax), up to five; default any].
dnl EDNSBL_TO: DNS retries (default 5).
ifelse(defn(`_ARG_'), `', `_CF_ERR0_(`*** ERROR: missing argument for FEATURE(`enhdnsbl')')')
ifdef(`_EDNSBL_R_', `', `define(`_EDNSBL_R_', `')dnl
LOCAL_CONFIG
Kednsbl dns -R A -a. -T<TMP> -r`'ifdef(`EDNSBL_TO', `EDNSBL_TO', `5')
divert(-1)')
define(`_EDNSBL_SRV_', defn(`_ARG_'))
define(`_EDNSBL_MSG_', `ifelse(_ARG2_, `', `"550 Rejected: " $`'&{client_addr} " listed at '_EDNSBL_SRV_`"',
	_ARG2_, `quarantine', `_EDNSBL_SRV_', `_ARG2_')')
define(`_EDNSBL_MSG_TMP_', `ifelse(_ARG3_, `t', `"451 Temporary lookup failure of " $`'&{client_addr} " at '_EDNSBL_SRV_`"', `_ARG3_')')
define(`_EDNSBL_ACTION_', `ifelse(_ARG2_, `quarantine', `$`'#error $`'@ quarantine',
	_ARG2_, `discard', `$`'#discard', `$`'#error $`'@ 5.7.1')')
define(`_CF_EDNSBL_R_', `ifelse(`$1', `', `', `R<?>$1		_EDNSBL_ACTION_ $: _EDNSBL_MSG_
')')
divert(8)
R$*			$: $&{client_addr}
R$-.$-.$-.$-		$: <?> $(ednsbl $4.$3.$2.$1._EDNSBL_SRV_. $: OK $)
R<?>OK			$: OKSOFAR
ifelse(_ARG3_, `', `R<?>$+<TMP>		$: TMPOK',
`R<?>$+<TMP>		$#error $@ 4.4.3 $: _EDNSBL_MSG_TMP_')
ifelse(_ARG4_, `', `R<?>$+		_EDNSBL_ACTION_ $: _EDNSBL_MSG_',
`R<?>_ARG4_		_EDNSBL_ACTION_ $: _EDNSBL_MSG_')
_CF_EDNSBL_R_(_ARG5_)_CF_EDNSBL_R_(_ARG6_)_CF_EDNSBL_R_(_ARG7_)_CF_EDNSBL_R_(_ARG8_)_CF_EDNSBL_R_(_ARG9_)dnl
divert(-1)
