divert(-1)
dnl feature/mtamark.m4 -- refuse clients not marked as MTAs in DNS
dnl (TXT "1" at _perm._smtp._srv.<reverse>.in-addr.arpa).
dnl Arguments: [message], [`t' | tempfail message], [record prefix].
ifdef(`_MTAMARK_R', `', `define(`_MTAMARK_R', `')dnl
LOCAL_CONFIG
Kmtamark dns -R TXT -a. -T<TMP> -r`'ifdef(`MTAMARK_TO', `MTAMARK_TO', `5')
divert(-1)')
define(`_MTAMARK_RR_', `ifelse(_ARG3_, `', `_perm._smtp._srv', `_ARG3_')')
define(`_MTAMARK_MSG_', `ifelse(_ARG_, `', `"550 Rejected: " $`'&{client_addr} " not listed as MTA"', `_ARG_')')
define(`_MTAMARK_MSG_TMP_', `ifelse(_ARG2_, `t', `"451 Temporary lookup failure of " _MTAMARK_RR_.$`'&{client_addr}', `_ARG2_')')
divert(8)
R$*		$: $&{client_addr}
R$-.$-.$-.$-	$: <?> $(mtamark _MTAMARK_RR_.$4.$3.$2.$1.in-addr.arpa. $: OK $)
R<?>1.		$: OKSOFAR
R<?>0.		$#error $@ 5.7.1 $: _MTAMARK_MSG_
ifelse(_ARG2_, `', `R<?>$+<TMP>	$: TMPOK',
`R<?>$+<TMP>	$#error $@ 4.4.3 $: _MTAMARK_MSG_TMP_')
divert(-1)
