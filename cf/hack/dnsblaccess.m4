divert(-1)
dnl hack/dnsblaccess.m4 -- DNS blocklist whose answers are looked up in
dnl the access map. HACK(`dnsblaccess', zone, [message], [`t' | tempfail
dnl message], [key tag, default dnsblaccess]). For an answer a.b.c.d the
dnl keys tag:a.b.c.d, tag:a.b.c, tag:a.b, tag:a, tag: are tried (%1 = the
dnl client address, %2 = the zone); OK/RELAY accept, REJECT/ERROR:/DISCARD
dnl and anything else refuse, no entry refuses with the default message.
divert(0)
VERSIONID(`hack/dnsblaccess.m4 (our tree)')
divert(-1)
ifdef(`_ACCESS_TABLE_', `', `_CF_ERR_(`*** ERROR: dnsblaccess requires FEATURE(`access_db')')')
ifdef(`_EDNSBL_R_', `', `define(`_EDNSBL_R_', `1')dnl
LOCAL_CONFIG
Kednsbl dns -R A -a. -T<TMP> -r`'ifdef(`EDNSBL_TO', `EDNSBL_TO', `5')
divert(-1)')
define(`_EDNSBL_SRV_', `ifelse(_ARG_, `', `blackholes.mail-abuse.org', `_ARG_')')
define(`_EDNSBL_MSG_', `ifelse(_ARG2_, `', `"550 Rejected: " $`'&{client_addr} " listed at '_EDNSBL_SRV_`"', `_ARG2_')')
define(`_EDNSBL_MSG_TMP_', `ifelse(_ARG3_, `t', `"451 Temporary lookup failure of " $`'&{client_addr} " at '_EDNSBL_SRV_`"', `_ARG3_')')
define(`_EDNSBL_KEY_', `ifelse(_ARG4_, `', `dnsblaccess', `_ARG4_')')
divert(8)
R$*			$: $&{client_addr}
R$-.$-.$-.$-		$: <?> $(ednsbl $4.$3.$2.$1._EDNSBL_SRV_. $: OK $) <>$1.$2.$3.$4
R<?>OK<>$*		$: OKSOFAR
R<?>$+<TMP><>$*		$: <? <TMPF>>
R<?>$* $- .<>$*		<$(access _EDNSBL_KEY_`:'$1$2 $@$3 $@`'_EDNSBL_SRV_ $: ? $)> $1 <>$3
R<?>$* <>$*		$:<$(access _EDNSBL_KEY_`:' $@$2 $@`'_EDNSBL_SRV_ $: ? $)> <>$2
ifelse(_ARG3_, `', `R<$*<TMPF>>$*		$: TMPOK',
`R<$*<TMPF>>$*		$#error $@ 4.4.3 $: _EDNSBL_MSG_TMP_')
R<$={Accept}>$*		$: OKSOFAR
R<ERROR:$-.$-.$-:$+> $*	$#error $@ $1.$2.$3 $: $4
R<ERROR:$+> $*		$#error $: $1
R<DISCARD> $*		$#discard $: discard
R<$*> $*		$#error $@ 5.7.1 $: _EDNSBL_MSG_
divert(-1)
