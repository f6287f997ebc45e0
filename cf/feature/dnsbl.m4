divert(-1)
dnl feature/dnsbl.m4 -- refuse clients listed in a DNS blocklist.
dnl Arguments: zone, [message | `quarantine' | `discard'],
dnl [`t' (tempfail on lookup failure) | tempfail message]. Repeatable.
dnl DNSBL_MAP / DNSBL_MAP_OPT choose the map (default "dns -R A").
ifdef(`DNSBL_MAP', `', `define(`DNSBL_MAP', `dns -R A')')
ifelse(defn(`_ARG_'), `', `_CF_ERR0_(`*** ERROR: missing argument for FEATURE(`dnsbl')')')
ifdef(`_DNSBL_R_', `', `define(`_DNSBL_R_', `')dnl
LOCAL_CONFIG
Kdnsbl DNSBL_MAP -T<TMP>ifdef(`DNSBL_MAP_OPT', ` DNSBL_MAP_OPT')
divert(-1)')
define(`_DNSBL_SRV_', defn(`_ARG_'))
define(`_DNSBL_MSG_', `ifelse(_ARG2_, `', `"550 Rejected: " $`'&{client_addr} " listed at '_DNSBL_SRV_`"', `_ARG2_')')
define(`_DNSBL_MSG_TMP_', `ifelse(_ARG3_, `t', `"451 Temporary lookup failure of " $`'&{client_addr} " at '_DNSBL_SRV_`"', `_ARG3_')')
divert(8)
R$*			$: $&{client_addr}
R$-.$-.$-.$-		$: <?> $(dnsbl $4.$3.$2.$1._DNSBL_SRV_. $: OK $)
R<?>OK			$: OKSOFAR
ifelse(_ARG3_, `', `R<?>$+<TMP>		$: TMPOK',
`R<?>$+<TMP>		$#error $@ 4.4.3 $: _DNSBL_MSG_TMP_')
ifelse(_ARG2_, `quarantine', `R<?>$+		$#error $@ quarantine $: _DNSBL_SRV_',
	_ARG2_, `discard', `R<?>$+		$#discard $: _DNSBL_SRV_',
	`R<?>$+		$#error $@ 5.7.1 $: _DNSBL_MSG_')
divert(-1)
