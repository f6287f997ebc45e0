divert(-1)
dnl p_masq.m4 -- MasqHdr (93): genericstable and masquerading of header
dnl addresses; MasqEnv (94) for the envelope; ParseLocal (98) holding
dnl LOCAL_RULE_0; LDAPExpand for FEATURE(ldap_routing).
divert(0)dnl

###  MasqHdr (93): rewrite header addresses for the outside
SMasqHdr=93

ifdef(`_GENERICS_TABLE_', `dnl
# genericstable: full address, user+*@dom, user@dom, @dom, user+*, user
ifdef(`_GENERICS_ENTIRE_DOMAIN_',
`R$+ < @ $* $=G . >	$: < $1@$2$3 > $1 < @ $2$3 . > @',
`R$+ < @ $=G . >	$: < $1@$2 > $1 < @ $2 . > @')
R$+ < @ *LOCAL* >	$: < $1@$j > $1 < @ *LOCAL* > @
R< $+ > $+ < $* > @	$: < $(generics $1 $: @ $1 $) > $2 < $3 >
R<@$+ + $* @ $+> $+ < @ $+ >
		$: < $(generics $1+*@$3 $@ $2 $:@$1 + $2@$3 $) >  $4 < @ $5 >
R<@$+ + $* @ $+> $+ < @ $+ >
		$: < $(generics $1@$3 $: $) > $4 < @ $5 >
R<@$+ > $+ < @ $+ >	$: < > $2 < @ $3 >
R< > $+ < @ $+ . >	$: < $(generics @$2 $@ $1 $: $) > $1 < @ $2 . >
R< > $+ < @ $+ >	$: < $(generics $1 $: $) > $1 < @ $2 >
R< > $+ + $* < @ $+ >	$: < $(generics $1+* $@ $2 $: $) > $1 + $2 < @ $3 >
R< > $+ + $* < @ $+ >	$: < $(generics $1 $: $) > $1 + $2 < @ $3 >
R< $* @ $* > $* < $* >	$@ $>canonify $1 @ $2
R< $+ > $* < $* >	$: $>canonify $1 @ *LOCAL*
R< > $*			$: $1', `dnl')

# class N is never masqueraded
R$* < @ $* $=N . >	$@ $1 < @ $2 $3 . >

ifdef(`MASQUERADE_NAME', `dnl
# exposed users keep their host
R$=E < @ *LOCAL* >	$@ $1 < @ $j . >
ifdef(`_MASQUERADE_ENTIRE_DOMAIN_',
`R$=E < @ $* $=M . >	$@ $1 < @ $2 $3 . >',
`R$=E < @ $=M . >	$@ $1 < @ $2 . >')
ifdef(`_LIMITED_MASQUERADE_', `dnl',
`R$=E < @ $=w . >	$@ $1 < @ $2 . >')

# masqueraded domains become $M
ifdef(`_MASQUERADE_ENTIRE_DOMAIN_',
`R$* < @ $* $=M . > $*	$: $1 < @ $2 $3 . @ $M > $4',
`R$* < @ $=M . > $*	$: $1 < @ $2 . @ $M > $3')
ifdef(`_LIMITED_MASQUERADE_', `dnl',
`R$* < @ $=w . > $*	$: $1 < @ $2 . @ $M > $3')
R$* < @ *LOCAL* > $*	$: $1 < @ $j . @ $M > $2
R$* < @ $+ @ > $*	$: $1 < @ $2 > $3		empty $M
R$* < @ $+ @ $+ > $*	$: $1 < @ $3 . > $4', `dnl
R$* < @ *LOCAL* >	$@ $1 < @ $j . >')

###  MasqEnv (94): rewrite envelope addresses for the outside
SMasqEnv=94
ifdef(`_MASQUERADE_ENVELOPE_',
`R$+			$@ $>MasqHdr $1',
`R$* < @ *LOCAL* > $*	$: $1 < @ $j . > $2')

###  ParseLocal (98): site rules from the .mc
SParseLocal=98
undivert(3)dnl LOCAL_RULE_0

ifdef(`_LDAP_ROUTING_', `include(_CF_DIR_`m4/p_ldap.m4')', `dnl')
