divert(-1)
dnl feature/rhsbl.m4 -- refuse senders whose domain is listed in a
dnl right-hand-side blocklist (Debian). Arguments: zone, [message],
dnl [`t' | tempfail message]. rhs: access entries that accept skip it.
ifdef(`_RHSBL_R_', `', `define(`_RHSBL_R_', `')dnl
ifdef(`_DNSBL_R_', `', `LOCAL_CONFIG
Kdnsbl host -T<TMP>
divert(-1)')')
define(`_RHSBL_SRV_', defn(`_ARG_'))
define(`_RHSBL_MSG_', `ifelse(_ARG2_, `', `"550 Mail from " $`'&{RHS} " refused by blackhole site '_RHSBL_SRV_`"', `_ARG2_')')
define(`_RHSBL_MSG_TMP_', `ifelse(_ARG3_, `t', `"451 Temporary lookup failure of " $`'&{RHS} " at '_RHSBL_SRV_`"', `_ARG3_')')
divert(8)
R$+			$: <@> $>CanonAddr $&f
R<@> $*<@$+.>		$: <@> <@$2.> $| $>SearchList <+ rhs> $| <F:$1@$2> <D:$2> <>
R<@> $* $| <$={Accept}>	$: OKSOFAR
R<@> $*<@$+.> $| $*	$: <?> $(dnsbl $2._RHSBL_SRV_. $: OK $) $(macro {RHS} $@ $2 $)
R<@> $*			$: OKSOFAR
R<?> OK			$: OKSOFAR
ifelse(_ARG3_, `', `R<?>$+<TMP>		$: TMPOK',
`R<?>$+<TMP>		$#error $@ 4.7.1 $: _RHSBL_MSG_TMP_')
R<?>$+			$#error $@ 5.7.1 $: _RHSBL_MSG_
divert(-1)
