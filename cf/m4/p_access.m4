divert(-1)
dnl p_access.m4 -- access map lookup rulesets (only with FEATURE(access_db))
dnl and the address normalisers used by the policy rulesets.
dnl
dnl Lookup rulesets take  <key> <default> <mark tag> <passthru>  where mark
dnl is "!" (look up Tag:key only) or "+" (Tag:key, then key), and return
dnl <result or default> <passthru>:
dnl	D  host names (then parent domains) and [IP] literals (then nets)
dnl	A  IP addresses, then shorter nets
dnl F, E, U and SearchList are in p_lookup.m4.
dnl _TAG_DELIM_ (":") separates tag and key.
ifelse(substr(confDELIVERY_MODE, 0, 1), `d',
	`errprint(`WARNING: Antispam rules not available in deferred delivery mode.
')')
define(`_TD_', `_TAG_DELIM_')
divert(ifdef(`_ACCESS_TABLE_', `0', `-1'))dnl

###  D: look up a domain (or [IP]) and its parents
SD
R<$*> <$+> <$- $-> <$*>		$: < $(access $4`'_TD_`'$1 $: ? $) > <$1> <$2> <$3 $4> <$5>
R<?> <$+> <$+> <+ $-> <$*>	$: < $(access $1 $: ? $) > <$1> <$2> <+ $3> <$4>
ifdef(`_LOOKUPDOTDOMAIN_', `dnl
R<?> <$+.$+> <$+> <$- $-> <$*>	$: < $(access $5`'_TD_`'.$2 $: ? $) > <$1.$2> <$3> <$4 $5> <$6>
R<?> <$+.$+> <$+> <+ $-> <$*>	$: < $(access .$2 $: ? $) > <$1.$2> <$3> <+ $4> <$5>', `dnl')
ifdef(`_ACCESS_SKIP_', `dnl
R<SKIP> <$+> <$+> <$- $-> <$*>	$@ <$2> <$5>', `dnl')
R<?> <[$+.$-]> <$+> <$- $-> <$*>	$@ $>D <[$1]> <$3> <$4 $5> <$6>
ifdef(`NO_NETINET6', `dnl', `dnl
R<?> <[$+::$-]> <$+> <$- $-> <$*>	$: $>D <[$1]> <$3> <$4 $5> <$6>
R<?> <[$+:$-]> <$+> <$- $-> <$*>	$: $>D <[$1]> <$3> <$4 $5> <$6>')
R<?> <$+.$+> <$+> <$- $-> <$*>	$@ $>D <$2> <$3> <$4 $5> <$6>
ifdef(`_FFR_LOOKUPTAG_', `dnl
R<?> <$+> <$+> <! $-> <$*>	$: < $(access $3`'_TD_ $: ? $) > <$1> <$2> <! $3> <$4>', `dnl')
R<?> <$+> <$+> <$- $-> <$*>	$@ <$2> <$5>
ifdef(`_ATMPF_', `dnl
R<$* _ATMPF_> <$+> <$+> <$- $-> <$*>	$@ <_ATMPF_> <$6>', `dnl')
R<$*> <$+> <$+> <$- $-> <$*>	$@ <$1> <$6>

###  A: look up an IP address and the nets containing it
SA
R<$+> <$+> <$- $-> <$*>		$: < $(access $4`'_TD_`'$1 $: ? $) > <$1> <$2> <$3 $4> <$5>
R<?> <$+> <$+> <+ $-> <$*>	$: < $(access $1 $: ? $) > <$1> <$2> <+ $3> <$4>
ifdef(`_ACCESS_SKIP_', `dnl
R<SKIP> <$+> <$+> <$- $-> <$*>	$@ <$2> <$5>', `dnl')
ifdef(`NO_NETINET6', `dnl', `dnl
R<?> <$+::$-> <$+> <$- $-> <$*>		$@ $>A <$1> <$3> <$4 $5> <$6>
R<?> <$+:$-> <$+> <$- $-> <$*>		$@ $>A <$1> <$3> <$4 $5> <$6>')
R<?> <$+.$-> <$+> <$- $-> <$*>		$@ $>A <$1> <$3> <$4 $5> <$6>
R<?> <$+> <$+> <$- $-> <$*>	$@ <$2> <$5>
ifdef(`_ATMPF_', `dnl
R<$* _ATMPF_> <$+> <$+> <$- $-> <$*>	$@ <_ATMPF_> <$6>', `dnl')
R<$*> <$+> <$+> <$- $-> <$*>	$@ <$1> <$6>

divert(0)dnl

###  CanonAddr: canonical form of an address for the policy rulesets
SCanonAddr
R$*			$: $>Parse0 $>canonify $1
ifdef(`_USE_DEPRECATED_ROUTE_ADDR_', `dnl
R< @ $+ > : $* @ $*	< @ $1 > : $2 % $3
R$* < @ $+ > : $* : $*	$3 $1 < @ $2 > : $4
R$* < @ $+ > : $*	$3 $1 < @ $2 >', `dnl')

###  ParseRecipient: strip hosts we relay for from the right of an
###  address so that user%host@relayhost is judged by "host"
SParseRecipient
R$*				$: <?> $>CanonAddr $1
R<?> $* < @ $* . >		<?> $1 < @ $2 >
R<?> $- < @ $* >		$: <?> $(dequote $1 $) < @ $2 >
R<?> $* $=O $* < @ $* >		$: <NO> $1 $2 $3 < @ $4>
R<?> $*				$@ $1
ifdef(`_RELAY_ENTIRE_DOMAIN_', `dnl
R<NO> $* < @ $* $=m >		$: <RELAY> $1 < @ $2 $3 >', `dnl')
ifdef(`_RELAY_HOSTS_ONLY_',
`R<NO> $* < @ $=R >		$: <RELAY> $1 < @ $2 >
ifdef(`_ACCESS_TABLE_', `dnl
R<NO> $* < @ $+ >		$: <$(access To:$2 $: NO $)> $1 < @ $2 >
R<NO> $* < @ $+ >		$: <$(access $2 $: NO $)> $1 < @ $2 >', `dnl')',
`R<NO> $* < @ $* $=R >		$: <RELAY> $1 < @ $2 $3 >
ifdef(`_ACCESS_TABLE_', `dnl
R<NO> $* < @ $+ >		$: $>D <$2> <NO> <+ To> <$1 < @ $2 >>
R<$+> <$+>			$: <$1> $2', `dnl')')
ifdef(`_RELAY_MX_SERVED_', `dnl
R<NO> $* < @ $+ >		$: <MX> < : $(mxserved $2 $) : > < $1 < @$2 > >
R<MX> < : $* <TEMP> : > $*	$#TEMP $@ 4.4.0 $: "450 Can not check MX records for recipient host " $1
R<MX> < $* : $=w. : $* > < $+ >	$: <RELAY> $4
R<MX> < : $* : > < $+ >		$: <NO> $2', `dnl')
R<RELAY> $* < @ $* >		$@ $>ParseRecipient $1
R<$+> $*			$@ $2

