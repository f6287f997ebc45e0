divert(-1)
dnl p_delay.m4 -- FEATURE(delay_checks): check_rcpt runs the recipient
dnl checks first, then (unless the recipient is a spam friend, or not a
dnl hater) checkmail and checkrelay. Also the block_bad_helo rules, which
dnl are appended to whatever ruleset precedes them.
divert(0)dnl
ifdef(`_DELAY_CHECKS_', `dnl

###  FullAddr: qualify user<@domain> (or user) for lookups
SFullAddr
R$* <@ $+ . >		$1 <@ $2 >
R$* <@ $* >		$@ $1 <@ $2 >
R$+			$@ $1 <@ $j >

###  Delay_TLS_Clt: client STARTTLS check, then the checkrcpt result
SDelay_TLS_Clt
R$*			$: $1 $| $>"tls_client" $&{verify} $| MAIL
R$* $| $#$+		$#$2
R$* $| $*		$# $1
R$*			$# $1

###  Delay_TLS_Clt2: client STARTTLS check, then the friend/hater result
SDelay_TLS_Clt2
R$*			$: $1 $| $>"tls_client" $&{verify} $| MAIL
R$* $| $#$+		$#$2
R$* $| $*		$@ $1
R$*			$@ $1

######  check_rcpt with delayed checks
Scheck_rcpt
R$+			$: $1 $| $>checkrcpt $1
R$+ $| $#error $*	$#error $2
R$+ $| $#discard $*	$#discard $2
R$+ $| $#$*		$@ $>"Delay_TLS_Clt" $2
R$+ $| $*		$: <?> $>FullAddr $>CanonAddr $1
ifdef(`_SPAM_FH_', `ifdef(`_ACCESS_TABLE_', `',
`_CF_ERR_AT_(defn(`_DELAY_CHECKS_AT_'), `*** ERROR: FEATURE(`delay_checks', `argument') requires FEATURE(`access_db')')')dnl
# Spam: entries of the recipient
R<?> $+ < @ $=w >	$: <> $1 < @ $2 > $| <F: $1@$2 > <D: $2 > <U: $1@>
R<?> $+ < @ $* >	$: <> $1 < @ $2 > $| <F: $1@$2 > <D: $2 >
R<> $* $| <$+>		$: <@> $1 $| $>SearchList <! Spam> $| <$2> <>
R<@> $* $| $*		$: $2 $1', `dnl')
ifdef(`_SPAM_FRIEND_', `ifdef(`_SPAM_HATER_',
`_CF_ERR_AT_(defn(`_DELAY_CHECKS_AT_'), `*** ERROR: define either Hater or Friend -- not both.')', `dnl')
R<FRIEND> $+		$@ $>"Delay_TLS_Clt2" SPAMFRIEND
R<$*> $+		$: $2', `dnl')
ifdef(`_SPAM_HATER_', `dnl
R<HATER> $+		$: $1
R<$*> $+		$@ $>"Delay_TLS_Clt2" NOSPAMHATER', `dnl')
ifdef(`_FFR_MAIL_MACRO',
`R$*			$: $1 $| $>checkmail $&{mail_from}',
`R$*			$: $1 $| $>checkmail <$&f>')
R$* $| $#$*		$#$2
R$* $| $*		$: $1 $| $>checkrelay $&{client_name} $| $&{client_addr}
R$* $| $#$*		$#$2
R$* $| $*		$: $1
', `dnl')
ifdef(`_BLOCK_BAD_HELO_', `dnl
# refuse a HELO name that is ours or not qualified (not after AUTH,
# not for clients in $=R, not for -bs)
R$*			$: $1 $| <$&{auth_authen}>
R$* $| <$+>		$: $1
R$* $| <$*>		$: $1 $| <$&{client_addr}> [$&s]
R$* $| <$=R $*> [$*]	$: $1
R$* $| <0> [$*]		$: $1
R$* $| <$*> $=w		$#error $@ 5.7.1 $:"550 bogus HELO name used: " $&s
R$* $| <$*> [$=w]	$#error $@ 5.7.1 $:"550 bogus HELO name used: " $&s
R$* $| <$*> [$+.$+]	$: $1
R$* $| <$*> [IPv6:$+]	$: $1
R$* $| <$*> [$*]	$#error $@ 5.7.1 $:"550 bogus HELO name used: " $&s
R$* $| $*		$: $1
', `dnl')
