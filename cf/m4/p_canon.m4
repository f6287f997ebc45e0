divert(-1)
dnl p_canon.m4 -- ruleset 3 (canonify), 96 (Canonify2) and 4 (final).
dnl canonify finds the focus of an address and hands user<@host> to
dnl Canonify2, which makes the host part canonical; final undoes the focus.
divert(0)dnl

###  canonify (3): put the host part of an address in < @ ... >
Scanonify=3

R$@			$@ <@>					empty: special <@>

# group syntax: drop "name:" and a final ";" (but not inside <...>)
R$*			$: $1 <@>				mark
R$* < $* > $* <@>	$: $1 < $2 > $3				<addr>
R@ $* <@>		$: @ $1					@route:addr
R$* [ IPv6 : $+ ] <@>	$: $1 [ IPv6 : $2 ]			IPv6 literal
R$* :: $* <@>		$: $1 :: $2				node::user
R:`include': $* <@>	$: :`include': $1			:`include':
R$* : $* [ $* ]		$: $1 : $2 [ $3 ] <@>			colon before literal
R$* : $* <@>		$: $2					drop group name
R$* <@>			$: $1					unmark
R$* ;			   $1					trailing semicolon
R$* < $+ :; > $*	$@ $2 :; <@>				<list:;>
R$* < $* ; >		   $1 < $2 >				stray semicolon

R$@			$@ :; <@>				list:; left nothing

# keep only the innermost <...>
R$*			$: < $1 >
R$+ < $* >		   < $2 >
R< $* > $+		   < $1 >
R<>			$@ < @ >				null sender
R< $+ >			$: $1

ifdef(`_USE_DEPRECATED_ROUTE_ADDR_', `dnl
# source routes are kept: <@a,@b:u@c> is focused on the first host
R@ $+ , $+		@ $1 : $2
ifdef(`NO_NETINET6', `dnl',
`R@ [$+] : $+		$@ $>Canonify2 < @ [$1] > : $2')
R@ $+ : $+		$@ $>Canonify2 < @$1 > : $2',
`dnl
# source routes are dropped: <@a,@b:u@c> becomes u@c
R@ $+ , $+		$2
ifdef(`NO_NETINET6', `dnl',
`R@ [ $* ] : $+		$2')
R@ $+ : $+		$2')

# list syntax
R $+ : $* ; @ $+	$@ $>Canonify2 $1 : $2 ; < @ $3 >
R $+ : $* ;		$@ $1 : $2;

# user@host: focus on the rightmost @
R$+ @ $+		$: $1 < @ $2 >
R$+ < $+ @ $+ >		$1 $2 < @ $3 >
R$+ < @ $+ >		$@ $>Canonify2 $1 < @ $2 >

ifdef(`_NO_UUCP_', `',
`# host!user becomes user@host.UUCP (or user@host.domain)
R$- ! $+		$@ $>Canonify2 $2 < @ $1 .UUCP >
R$+ . $- ! $+		$@ $>Canonify2 $3 < @ $1 . $2 >
R$+ ! $+		$@ $>Canonify2 $2 < @ $1 .UUCP >
')dnl
ifdef(`_USE_DECNET_SYNTAX_',
`# node::user becomes user@node.DECNET
R$- :: $+		$@ $>Canonify2 $2 < @ $1 .DECNET >
R$- . $- :: $+		$@ $>Canonify2 $3 < @ $1.$2 .DECNET >
', `dnl')
ifdef(`_NO_PERCENTHACK_', `',
`# u%h1%h2: the last % routes
R$* % $*		$1 @ $2
R$* @ $* @ $*		$1 % $2 @ $3
')dnl
R$* @ $*		$@ $>Canonify2 $1 < @ $2 >

# a local name
R$*			$@ $>Canonify2 $1


###  Canonify2 (96): make the host part canonical
SCanonify2=96

# localhost is us
R$* < @ localhost > $*		$: $1 < @ $j . > $2
R$* < @ localhost . $m > $*	$: $1 < @ $j . > $2
ifdef(`_NO_UUCP_', `dnl',
`R$* < @ localhost . UUCP > $*	$: $1 < @ $j . > $2')

# address literals
R$* < @ [ $+ ] > $*		$: $1 < @@ [ $2 ] > $3
R$* < @@ $=w > $*		$: $1 < @ $j . > $3
R$* < @@ $+ > $*		$@ $1 < @ $2 > $3

ifdef(`_DOMAIN_TABLE_', `dnl
# domaintable
R$* < @ $+ > $*		$: $1 < @ $(domaintable $2 $) > $3', `dnl')

undivert(2)dnl LOCAL_RULE_3

ifdef(`_BITDOMAIN_TABLE_', `dnl
# bitdomain
R$* < @ $+ .BITNET > $*		$: $1 < @ $(bitdomain $2 $: $2.BITNET $) > $3', `dnl')

ifdef(`_UUDOMAIN_TABLE_', `dnl
# uudomain
R$* < @ $+ .UUCP > $*		$: $1 < @ $(uudomain $2 $: $2.UUCP $) > $3', `dnl')

ifdef(`_NO_UUCP_', `dnl',
`ifdef(`UUCP_RELAY',
`# UUCP goes to the relay unchanged
R$* < @ $+ . UUCP > $*		$@ $1 < @ $2 . UUCP . > $3',
`# UUCP neighbours are final
ifdef(`_CLASS_U_', `R$* < @ $=U . UUCP > $*	$@ $1 < @ $2 . UUCP . > $3', `dnl')
ifdef(`_CLASS_V_', `R$* < @ $=V . UUCP > $*	$@ $1 < @ $2 . UUCP . > $3', `dnl')
ifdef(`_CLASS_W_', `R$* < @ $=W . UUCP > $*	$@ $1 < @ $2 . UUCP . > $3', `dnl')
ifdef(`_CLASS_X_', `R$* < @ $=X . UUCP > $*	$@ $1 < @ $2 . UUCP . > $3', `dnl')
ifdef(`_CLASS_Y_', `R$* < @ $=Y . UUCP > $*	$@ $1 < @ $2 . UUCP . > $3', `dnl')
ifdef(`_NO_CANONIFY_', `dnl', `dnl
# host.UUCP may really be a DNS name
R$* < @ $+ . UUCP > $*		$: $1 < @ $[ $2 $] . UUCP . > $3
R$* < @ $+ . . UUCP . > $*	$@ $1 < @ $2 . > $3')
')')
# names ending in class P are canonical
R$* < @ $* $=P > $*		$: $1 < @ $2 $3 . > $4
# others: decide by the daemon flags
R$* < @ $* $~P > $*		$: $&{daemon_flags} $| $1 < @ $2 $3 > $4
ifdef(`_NO_CANONIFY_', `dnl
# nocanonify: look up only $={Canonify} domains or when flag c is set
R$* $| $* < @ $* $={Canonify} > $*	$: $2 < @ $[ $3 $4 $] > $5
R$* c $* $| $* < @ $* > $*	$: $3 < @ $[ $4 $] > $5
R$* $| $* < @ $+ . > $*		$: $2 < @ $3 . > $4
R$* $| $* < @ $+.$+ > $*	$: $2 < @ $3.$4 . > $5
ifdef(`_CANONIFY_HOSTS_', `dnl
R$* $| $* < @ $* > $*		$: $2 < @ $[ $3 $] > $4', `dnl')', `dnl
# flag CC: no lookup, but qualified names get the trailing dot
R$* CC $* $| $* < @ $+.$+ > $*	$: $3 < @ $4.$5 . > $6
R$* CC $* $| $*			$: $3
ifdef(`_FFR_NOCANONIFY_HEADERS', `dnl
R$* $| $* < @ $* $~P > $*	$: $&{addr_type} $| $2 < @ $3 $4 > $5
R$* h $* $| $* < @ $+.$+ > $*	$: $3 < @ $4.$5 . > $6
R$* h $* $| $*			$: $3', `dnl')
# ask the resolver
R$* $| $* < @ $* > $*		$: $2 < @ $[ $3 $] > $4')
R$* $| $*			$: $2

# our names and pseudo domains are canonical
R$* < @ $=w > $*		$: $1 < @ $2 . > $3
ifdef(`_MASQUERADE_ENTIRE_DOMAIN_',
`R$* < @ $* $=M > $*		$: $1 < @ $2 $3 . > $4',
`R$* < @ $=M > $*		$: $1 < @ $2 . > $3')
ifdef(`_VIRTUSER_TABLE_', `ifdef(`_VIRTUSER_ENTIRE_DOMAIN_',
`R$* < @ $* $={VirtHost} > $*	$: $1 < @ $2 $3 . > $4',
`R$* < @ $={VirtHost} > $*	$: $1 < @ $2 . > $3')', `dnl')
ifdef(`_GENERICS_TABLE_', `ifdef(`_GENERICS_ENTIRE_DOMAIN_',
`R$* < @ $* $=G > $*	$: $1 < @ $2 $3 . > $4',
`R$* < @ $=G > $*	$: $1 < @ $2 . > $3')', `dnl')
# collapse doubled trailing dots
R$* < @ $* . . > $*		$1 < @ $2 . > $3


###  final (4): turn the internal form back into an address
Sfinal=4

R$+ :; <@>		$@ $1 :
R$* <@>			$@

R$* < @ $+ . > $*	$1 < @ $2 > $3				trailing dot
R$* < @ *LOCAL* > $*	$1 < @ $j > $2				internal token

R$* < $+ > $*		$1 $2 $3				unfocus
R@ $+ : @ $+ : $+	@ $1 , @ $2 : $3			route syntax
R@ $*			$@ @ $1

ifdef(`_NO_UUCP_', `dnl',
`R$+ @ $- . UUCP		$2!$1					back to h!u')
ifdef(`_USE_DECNET_SYNTAX_',
`R$+ @ $+ . DECNET	$2 :: $1				back to h::u', `dnl')
R$+ % $=w @ $=w		$1 @ $2					u%here@here


###  Recurse (97): canonify and parse again
SRecurse=97
R$*			$: $>canonify $1
R$*			$@ $>parse $1

