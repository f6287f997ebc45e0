divert(-1)
dnl feature/domainmap.m4 -- per-domain user maps (Debian contrib).
dnl FEATURE(`domainmap', `domain', `map spec'): mail to user[+detail]@domain
dnl is sent to the address the map gives for user (+detail re-added).
dnl Users in $=L at a local domain are left alone. DOMAINMAP_NO_REGEX
dnl derives the map name without the regex map.
ifdef(`_DOMAIN_MAP_', `', `dnl
LOCAL_RULE_0
R$* $=O $* <@ $={MappedDomain} .>	$@ $>Recurse $1 $2 $3
R$+ <@ $={MappedDomain} .>		$>DomainMapLookup $1 <@ $2 .>
LOCAL_RULESETS
SDomainMapLookup
R $=L <@ $=w .>		$@ $1 <@ $2 .>
R $+ <@ $+>		$: $1 <@ $2 > <$&{addr_type}>
R $+ <@ $+> <e s>	$#smtp $@ $2 $: $1 @ $2
ifdef(`DOMAINMAP_NO_REGEX', `dnl
R $+ <@ $+> <$*>	$: $1 <@ $2> <$2>
R $+ <$+> <$+ . $+>	$1 <$2> < $(dequote $3 "_" $4 $) >
R $+ <$+> <$+ .>	$: $1 <$2> < $(dequote "domain_" $3 $) >', `dnl
R $+ <@ $+> <$*>	$: $1 <@ $2> <$2 :NOTDONE:>
R $+ <$+> <$+ . :NOTDONE:>	$1 <$2> < $(domainmap_regex $3 $: $3 $) >
R $+ <$+> <$+>		$: $1 <$2> < $(dequote "domain_" $3 $) >')
R $+ <$+> <$+>		$: $1 <$2> <$3> $1
R $+ <$+> <$+> $+ + $*	$: $1 <$2> <$3> $4
R $+ <$+> <$+> $+	$: $1 <$2> $( $3 $4 $: <ERROR> $)
R $+ <$+> <ERROR>	$#error $@ 5.1.1 $: "550 email address lookup in domain map failed"
R $+ <@ $+> $* <TEMP> $*	$#dsmtp $@ localhost $: $1 @ $2
R $+ + $* <$+> $+ @ $+		$: $1 + $2 <$3> $4 + $2 @ $5
R $+ <$+> $+		$@ $>Recurse $3
ifdef(`DOMAINMAP_NO_REGEX', `', `dnl
LOCAL_CONFIG
K domainmap_regex regex -a.:NOTDONE: -s1,2 -d_ (.*)[-\.]([^-\.]*)$
')define(`_DOMAIN_MAP_', `1')')
LOCAL_CONFIG
C{MappedDomain} _ARG_
K `domain_'translit(_ARG_, `.-', `__') _ARG2_ -T<TEMP>
