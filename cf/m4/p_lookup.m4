divert(-1)
dnl p_lookup.m4 -- more access map lookups (only with FEATURE(access_db)),
dnl same calling convention as D and A in p_access.m4:
dnl	F  full addresses, with user+*@dom and user@dom variants
dnl	E  exact key
dnl	U  user@ keys, with user+*@ and user@ variants
dnl SearchList <mark tag> $| <X:key> ... <> runs them in turn (X is one of
dnl E F D U, and A with rate/connection control) and returns <result> or <?>.
divert(ifdef(`_ACCESS_TABLE_', `0', `-1'))dnl

###  F: look up a full address (user+detail@dom, user+*@dom, user@dom)
SF
R<$+> <$*> <$- $-> <$*>		$: <$(access $4`'_TD_`'$1 $: ? $)> <$1> <$2> <$3 $4> <$5>
R<?> <$+> <$*> <+ $-> <$*>	$: <$(access $1 $: ? $)> <$1> <$2> <+ $3> <$4>
R<?> <$+ + $* @ $+> <$*> <$- $-> <$*>
			$: <$(access $6`'_TD_`'$1+*@$3 $: ? $)> <$1+$2@$3> <$4> <$5 $6> <$7>
R<?> <$+ + $* @ $+> <$*> <+ $-> <$*>
			$: <$(access $1+*@$3 $: ? $)> <$1+$2@$3> <$4> <+ $5> <$6>
R<?> <$+ + $* @ $+> <$*> <$- $-> <$*>
			$: <$(access $6`'_TD_`'$1@$3 $: ? $)> <$1+$2@$3> <$4> <$5 $6> <$7>
R<?> <$+ + $* @ $+> <$*> <+ $-> <$*>
			$: <$(access $1@$3 $: ? $)> <$1+$2@$3> <$4> <+ $5> <$6>
R<?> <$+> <$*> <$- $-> <$*>	$@ <$2> <$5>
ifdef(`_ATMPF_', `dnl
R<$+ _ATMPF_> <$*> <$- $-> <$*>	$@ <_ATMPF_> <$5>', `dnl')
R<$+> <$*> <$- $-> <$*>		$@ <$1> <$5>

###  E: look up a key as it is
SE
R<$*> <$*> <$- $-> <$*>		$: <$(access $4`'_TD_`'$1 $: ? $)> <$1> <$2> <$3 $4> <$5>
R<?> <$+> <$*> <+ $-> <$*>	$: <$(access $1 $: ? $)> <$1> <$2> <+ $3> <$4>
R<?> <$+> <$*> <$- $-> <$*>	$@ <$2> <$5>
ifdef(`_ATMPF_', `dnl
R<$+ _ATMPF_> <$*> <$- $-> <$*>	$@ <_ATMPF_> <$5>', `dnl')
R<$+> <$*> <$- $-> <$*>		$@ <$1> <$5>

###  U: look up a local part "user@" (user+detail@, user+*@, user@)
SU
R<$+> <$*> <$- $-> <$*>		$: <$(access $4`'_TD_`'$1 $: ? $)> <$1> <$2> <$3 $4> <$5>
R<?> <$+> <$*> <+ $-> <$*>	$: <$(access $1 $: ? $)> <$1> <$2> <+ $3> <$4>
R<?> <$+ + $* @> <$*> <$- $-> <$*>
			$: <$(access $5`'_TD_`'$1+*@ $: ? $)> <$1+$2@> <$3> <$4 $5> <$6>
R<?> <$+ + $* @> <$*> <+ $-> <$*>
			$: <$(access $1+*@ $: ? $)> <$1+$2@> <$3> <+ $4> <$5>
R<?> <$+ + $* @> <$*> <$- $-> <$*>
			$: <$(access $5`'_TD_`'$1@ $: ? $)> <$1+$2@> <$3> <$4 $5> <$6>
R<?> <$+ + $* @> <$*> <+ $-> <$*>
			$: <$(access $1@ $: ? $)> <$1+$2@> <$3> <+ $4> <$5>
R<?> <$+> <$*> <$- $-> <$*>	$@ <$2> <$5>
ifdef(`_ATMPF_', `dnl
R<$+ _ATMPF_> <$*> <$- $-> <$*>	$@ <_ATMPF_> <$5>', `dnl')
R<$+> <$*> <$- $-> <$*>		$@ <$1> <$5>

###  SearchList: <mark tag> $| <X:key> ... <>  ->  <result> or <?>
C{Src}E F D U ifdef(`_FFR_SRCHLIST_A', `A')
SSearchList
R<$+> $| <$={Src}:$*> <$*>	$: <$1> $| <$4> $| $>$2 <$3> <?> <$1> <>
R<$+> $| <> $| <?> <>		$@ <?>
R<$+> $| <$+> $| <?> <>		$@ $>SearchList <$1> $| <$2>
R<$+> $| <$*> $| <$+> <>	$@ <$3>
R<$+> $| <$+>			$@ <$2>
divert(0)dnl
