divert(-1)
dnl p_parse.m4 -- ruleset 0 (parse) and everything it calls: Parse0
dnl (syntax checks, local part), ParseLocal (98, LOCAL_RULE_0), Parse1
dnl (routing), the mailertable (90), MailerToTriple (95), CanonLocal,
dnl localaddr (5) and the masquerading rulesets MasqHdr (93), MasqEnv (94).
divert(0)dnl

###  parse (0): resolve an address to a mailer triple
Sparse=0

R$*			$: $>Parse0 $1
R<@>			$#_LOCAL_ $: <@>				error messages
R$*			$: $>ParseLocal $1
R$*			$: $>Parse1 $1

###  Parse0: syntax checks; strips our own host. Returns the address or
###  an $#error triple.
SParse0
R<@>			$@ <@>
R$* : $* ; <@>		$#error $@ 5.1.3 $: "_CODE553 List:; syntax illegal for recipient addresses"
R@ <@ $* >		< @ $1 >
R<@ $+>			$#error $@ 5.1.3 $: "_CODE553 User address required"
R$+ <@>			$#error $@ 5.1.3 $: "_CODE553 Hostname required"
R$*			$: <> $1
R<> $* < @ [ $* ] : $+ > $*	$1 < @ [ $2 ] : $3 > $4
R<> $* < @ [ $* ] , $+ > $*	$1 < @ [ $2 ] , $3 > $4
R<> $* < @ [ $* ] $+ > $*	$#error $@ 5.1.2 $: "_CODE553 Invalid address"
R<> $* < @ [ $+ ] > $*		$1 < @ [ $2 ] > $3
R<> $* <$* : $* > $*	$#error $@ 5.1.3 $: "_CODE553 Colon illegal in host name part"
R<> $*			$1
R$* < @ . $* > $*	$#error $@ 5.1.2 $: "_CODE553 Invalid host name"
R$* < @ $* .. $* > $*	$#error $@ 5.1.2 $: "_CODE553 Invalid host name"
R$* < @ $* @ > $*	$#error $@ 5.1.2 $: "_CODE553 Invalid route address"
R$* @ $* < @ $* > $*	$#error $@ 5.1.3 $: "_CODE553 Invalid route address"
R$* , $~O $*		$#error $@ 5.1.3 $: "_CODE553 Invalid route address"
ifdef(`_STRICT_RFC821_', `dnl
R$* . < @ $* > $*	$#error $@ 5.1.2 $: "_CODE553 Local part must not end with a dot"
R. $* < @ $* > $*	$#error $@ 5.1.2 $: "_CODE553 Local part must not begin with a dot"', `dnl')

# strip our own host name; a routing character in what is left starts over
R$* < @ > $*		$@ $>Parse0 $>canonify $1
R< @ $=w . > : $*	$@ $>Parse0 $>canonify $2
R$- < @ $=w . >		$: $(dequote $1 $) < @ $2 . >
R< @ $+ >		$#error $@ 5.1.3 $: "_CODE553 User address required"
R$* $=O $* < @ $=w . >	$@ $>Parse0 $>canonify $1 $2 $3
R$-			$: $(dequote $1 $) < @ *LOCAL* >
R< @ *LOCAL* >		$#error $@ 5.1.3 $: "_CODE553 User address required"
R$* $=O $* < @ *LOCAL* >
			$@ $>Parse0 $>canonify $1 $2 $3
R$* < @ *LOCAL* >	$: $1
ifdef(`_ADD_BCC_', `dnl
R$+			$: $>ParseBcc $1', `dnl')
ifdef(`_PREFIX_MOD_', `dnl
R _PREFIX_MOD_ $+	$: $1 $(macro {rcpt_flags} $@ _PREFIX_FLAGS_ $)
')dnl

###  Parse1: routing
SParse1
ifdef(`_LDAP_ROUTING_', `dnl
R$+ < @ $={LDAPRoute} . >	$: $>LDAPExpand <$1 < @ $2 . >> <$1 @ $2> <>
R$+ < @ $={LDAPRouteEquiv} . >	$: $>LDAPExpand <$1 < @ $2 . >> <$1 @ $M> <>', `dnl')

ifdef(`_MAILER_smtp_', `# address literals go straight out (or to the smart host)
R$* < @ [ $+ ] > $*	$: $>ParseLocal $1 < @ [ $2 ] > $3
R$* < @ [ $+ ] > $*	$: $1 < @ [ $2 ] : $S > $3
R$* < @ [ $+ ] : > $*		$#_SMTP_ $@ [$2] $: $1 < @ [$2] > $3
R$* < @ [ $+ ] : $- : $*> $*	$#$3 $@ $4 $: $1 < @ [$2] > $5
R$* < @ [ $+ ] : $+ > $*	$#_SMTP_ $@ $3 $: $1 < @ [$2] > $4', `dnl')

ifdef(`_VIRTUSER_TABLE_', `include(_CF_DIR_`m4/p_virtuser.m4')', `dnl')

ifdef(`_MAILER_usenet_', `dnl
R$+ . USENET < @ $=w . >	$#usenet $@ usenet $: $1', `dnl')

ifdef(`_STICKY_LOCAL_DOMAIN_',
`# stickyhost: user@here goes to the hub if there is one
R$+ < @ $=w . >		$: < $H > $1 < @ $2 . >
R< $+ > $+ < $+ >	$>MailerToTriple < $1 > $2 < $3 >
R< > $+ + $* < $+ >	$#_LOCAL_ $: $1 + $2
R< > $+ < $+ >		$#_LOCAL_ $: @ $1',
`# user@here is local
R$=L < @ $=w . >	$#_LOCAL_ $: @ $1
R$+ < @ $=w . >		$#_LOCAL_ $: $1')

ifdef(`_MAILER_TABLE_', `# mailertable: exact host, then parent domains
R$* <@ $+ > $*		$: < $2 > $1 < @ $2 > $3
R< $+ . > $*		$: < $1 > $2
R< $+ > $*		$: < $(mailertable $1 $) > $2
R< $~[ : $* > $*	$>MailerToTriple < $1 : $2 > $3
R< $+ > $*		$: $>Mailertable <$1> $2', `dnl')
undivert(4)dnl LOCAL_UUCP

ifdef(`_NO_UUCP_', `dnl',
`ifdef(`_CLASS_V_', `R$* < @ $=V . UUCP . > $*		$: $>MailerToTriple < $V > $1 <@$2.UUCP.> $3', `dnl')
ifdef(`_CLASS_W_', `R$* < @ $=W . UUCP . > $*		$: $>MailerToTriple < $W > $1 <@$2.UUCP.> $3', `dnl')
ifdef(`_CLASS_X_', `R$* < @ $=X . UUCP . > $*		$: $>MailerToTriple < $X > $1 <@$2.UUCP.> $3', `dnl')')

# pseudo domains handled by relays or special mailers
ifdef(`BITNET_RELAY', `R$*<@$+.BITNET.>$*	$: $>MailerToTriple < $B > $1 <@$2.BITNET.> $3', `dnl')
ifdef(`DECNET_RELAY', `R$*<@$+.DECNET.>$*	$: $>MailerToTriple < $C > $1 <@$2.DECNET.> $3', `dnl')
ifdef(`_MAILER_pop_', `R$+ < @ POP. >		$#pop $: $1', `dnl')
ifdef(`_MAILER_fax_', `R$+ < @ $+ .FAX. >	$#fax $@ $2 $: $1',
`ifdef(`FAX_RELAY', `R$*<@$+.FAX.>$*		$: $>MailerToTriple < $F > $1 <@$2.FAX.> $3', `dnl')')

ifdef(`UUCP_RELAY', `R$*<@$*.UUCP.>$*		$: $>MailerToTriple < $Y > $1 <@$2.UUCP.> $3',
`ifdef(`_MAILER_uucp_', `R$* < @ $+ .UUCP. > $*		$#_UUCP_ $@ $2 $: $1 < @ $2 .UUCP. > $3', `dnl')')
ifdef(`_MAILER_usenet_', `
R$+ . USENET		$#usenet $@ usenet $: $1', `dnl')

ifdef(`_LOCAL_RULES_', `# site rules for the local network
undivert(1)dnl', `dnl')

# everything with a host left: smart host, else direct
R$* < @ $* > $*		$: $>MailerToTriple < $S > $1 < @ $2 > $3
ifdef(`_MAILER_smtp_',
`R$* < @$* > $*		$#_SMTP_ $@ $2 $: $1 < @ $2 > $3',
`R$* < @$* > $*		$#error $@ 5.1.2 $: "_CODE553 Unrecognized host name " $2')

# no host: local
R$=L			$#_LOCAL_ $: @ $1
R$+			$#_LOCAL_ $: $1

ifdef(`_ADD_BCC_', `dnl
###  ParseBcc: envelope recipients may get a copy (feature bcc)
SParseBcc
R$+			$: $&{addr_type} $| $&A $| $1
Re b $| $+ $| $+	$>MailerToTriple < $1 > $2
R$* $| $* $| $+		$@ $3
')

include(_CF_DIR_`m4/p_local5.m4')dnl
include(_CF_DIR_`m4/p_masq.m4')dnl
