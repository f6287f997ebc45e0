divert(-1)
dnl p_sts.m4 -- MTA-STS rulesets for FEATURE(sts): the "sts" socket map
dnl answers per recipient domain; secure domains need a verified server
dnl whose name is in the policy (match=) and, unless NO_SAN_TST, in the SANs.
divert(0)dnl

###  TLS_NameInList: is {TLS_Name} in :a:b:c: ?
STLS_NameInList
R$* :$&{TLS_Name}: $*	$@ ok
R$*			$@ $1

###  STS_SAN: is {server_name} among the certificate altnames?
SSTS_SAN
ifdef(`_STS_SAN', `dnl
R$*			$: $&{server_name}
R$={cert_altnames}	$@ ok
R$-.$+			$: $2
R *.$={cert_altnames}	$@ ok
R$*			$#error $@ 4.7.0 $: 450 $&{server_name} not listed in SANs', `dnl')

###  STS_secure: input ${verify}; a secure policy needs TEMP+VERIFY:128
SSTS_secure
R$*		$: $&{rcpt_addr} $| $1
R $| $*		$@ ok
R$*@$+ $| $*	$2 $| $3
R$+. $| $*	$1 $| $2
R$+ $| $*	$: $(sts $1 $: none $) $| $2
R$* <TMPF> $| $*	$#error $@ 4.7.0 $: 450 STS lookup temp fail
R$* secure $* $| $*	$@ $>"TLS_connection" $3 $| <TEMP+VERIFY:128>
R$* $| $*	$: $2

###  STS_Check: the server name must match the policy
SSTS_Check
R$*		$: $&{rcpt_addr} $| $1
R $| $*		$@ ok
R$* $| $*	$: $2 $| $2
R$*@$+ $| $*	$2 $| $3
R$+. $| $*	$1 $| $2
R$* $| $*	$: $(sts $1 $: none $) $| mark
R$* <TMPF> $| $*	$#error $@ 4.7.0 $: 450 STS lookup temp fail
R$* secure $* $| mark	$: $2 $| trmatch
R$* $| mark	$@ ok
R$* servername=hostname $| trmatch	$: $1 $| trmatch
R$+ $| trmatch				$: : $(stsxmatch $1 $: : $)
R$* $| trmatch		$@ $>STS_SAN
R$*:$+.:$*	$1:$2:$3
R:$+:		$: $(macro {TLS_Name} $@ $&{server_name} $) $>TLS_NameInList :$1:
R$* ok		$@ $>STS_SAN
R$*		$: $1 $| $&{server_name}
R:$* $| $-.$+	$: $(macro {TLS_Name} $@ .$3 $) $>TLS_NameInList :$1
R$* ok		$@ $>STS_SAN
R:$*:		$#error $@ 4.7.0 $: 450 $&{server_name} not found in " "$1
