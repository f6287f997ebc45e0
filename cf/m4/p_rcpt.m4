divert(-1)
dnl p_rcpt.m4 -- check_rcpt and the relaying decision.
dnl Rcpt_ok judges the recipient: RELAY if it ends here or in a domain we
dnl relay to; Relay_ok judges the client/sender: RELAY if it may relay.
dnl Results: RELAY, $#error, $#TEMP (temporary failure, kept until the
dnl other side has been asked too), anything else (not decided).
divert(0)dnl

######  check_rcpt: the envelope recipient
SLocal_check_rcpt
Scheck`'_U_`'rcpt
R$*			$: $1 $| $>"Local_check_rcpt" $1
R$* $| $#$*		$#$2
R$* $| $*		$@ $>"Basic_check_rcpt" $1

SBasic_check_rcpt
R<>			$#error $@ nouser $: "553 User address required"
R$@			$#error $@ nouser $: "553 User address required"
R$*			$: < $&{deliveryMode} > $1
R< d > $*		$@ deferred
R< $* > $*		$: $2
ifdef(`_REQUIRE_QUAL_RCPT_', `dnl
# daemon flag r: recipients must be fully qualified
R$+			$: <?> $1
R<?> <$+>		$: <@> <$1>
R<?> $+			$: <@> <$1>
R<@> < postmaster >	$: postmaster
R<@> < $* @ $+ . $+ >	$: < $1 @ $2 . $3 >
R<@> $*			$: $&{daemon_flags} $| <@> $1
R$* r $* $| <@> < $+ @ $+ >	$: < $3 @ $4 >
R$* r $* $| <@> < $* >	$: < ? $&{client_name} > < $3 >
R<?> < $* >		$: <$1>
R<? $=w> < $* >		$: <$1>
R<? $+> <$+>		$#error $@ 5.5.4 $: "553 Fully qualified domain name required"
R$* $| <@> $*		$: $2', `dnl')
R$*			$: $1 $| @ $>"Rcpt_ok" $1
R$* $| @ $#TEMP $+	$: $1 $| T $2
R$* $| @ $#$*		$#$2
ifdef(`_PROMISCUOUS_RELAY_', `dnl', `dnl
R$* $| @ RELAY		$@ RELAY
R$* $| @ $*		$: O $| $>"Relay_ok" $1
R$* $| T $+		$: T $2 $| $>"Relay_ok" $1
R$* $| $#TEMP $+	$#error $2
R$* $| $#$*		$#$2
R$* $| RELAY		$@ RELAY
R T $+ $| $*		$#error $1
# nobody vouched for this recipient
R$*			$#error $@ 5.7.1 $: confRELAY_MSG')

###  Rcpt_ok: is the recipient acceptable / local / relayable?
SRcpt_ok
ifdef(`_LOOSE_RELAY_CHECK_', `dnl
R$*			$: $>CanonAddr $1
R$* < @ $* . >		$1 < @ $2 >', `dnl
R$*			$: $>ParseRecipient $1')
ifdef(`_BESTMX_IS_LOCAL_', `dnl
ifelse(_BESTMX_IS_LOCAL_, `', `dnl
R$* < @ $* > $*			$: $1 < @ $2 @@ $(bestmx $2 $) > $3', `dnl
R$* < @ $* $=B > $*		$: $1 < @ $2 $3 @@ $(bestmx $2 $3 $) > $4')
R$* $=O $* < @ $* @@ $=w . > $*	$@ $>"Rcpt_ok" $1 $2 $3
R$* < @ $* @@ $=w . > $*	$: $1 < @ $3 > $4
R$* < @ $* @@ $* > $*		$: $1 < @ $2 > $4', `dnl')
ifdef(`_BLOCKLIST_RCPT_', `ifdef(`_ACCESS_TABLE_', `dnl
# To: entries may refuse recipients
R$*			$: <?> $1
R<?> $+ < @ $=w >	$: <> <$1 < @ $2 >> $| <F:$1@$2> <U:$1@> <D:$2>
R<?> $+ < @ $* >	$: <> <$1 < @ $2 >> $| <F:$1@$2> <D:$2>
R<?> $+			$: <> <$1> $| <U:$1@>
R<> <$*> $| <$+>	$: <@> <$1> $| $>SearchList <+ To> $| <$2> <>
R<@> <$*> $| <$*>	$: <$2> <$1>
R<?> <$*>		$: @ $1
R<$={Accept}> <$*>	$: @ $2
ifdef(`_ACCESS_SKIP_', `dnl
R<SKIP> <$*>		$: @ $1', `dnl')
ifdef(`_DELAY_COMPAT_8_10_', `dnl
R<$={SpamTag}> <$*>	$: @ $2', `dnl')
R<REJECT> $*		$#error $@ 5.2.1 $: confRCPTREJ_MSG
R<DISCARD> $*		$#discard $: discard
R<QUARANTINE:$+> $*	$#error $@ quarantine $: $1
R<ERROR:$-.$-.$-:$+> $*		$#error $@ $1.$2.$3 $: $4
R<ERROR:$+> $*		$#error $: $1
ifdef(`_ATMPF_', `R<_ATMPF_> $*		$#error $@ 4.3.0 $: _TMPFMSG_(`ROK1')', `dnl')
R<$+> $*		$#error $: $1
R@ $*			$1', `dnl')', `dnl')
ifdef(`_PROMISCUOUS_RELAY_', `dnl', `include(_CF_DIR_`m4/p_relay.m4')')
include(_CF_DIR_`m4/p_delay.m4')dnl
include(_CF_DIR_`m4/p_lookup.m4')dnl
