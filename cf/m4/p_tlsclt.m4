divert(-1)
dnl p_tlsclt.m4 -- tls_clt_features (client side TLS options per server)
dnl with its helpers; with STS also the DANE/STS switches (Set_SNI is
dnl in p_sni.m4).
divert(0)dnl
ifdef(`_ACCESS_TABLE_', `dnl
###  tls_clt_feat_acc: TLS_Clt_Features: entries for the server
Stls_clt_feat_acc
R$* $| $*		$: $>D <$1> <?> <! TLS_Clt_Features> <$2>
R<?> <$*>		$: $>A <$1> <?> <! TLS_Clt_Features> <$1>
R<?> <$*>		$@ ""
R<$+> <$*>		$@ $1', `dnl')

###  DANE_disabled: <> if the access result has flag d or no SNI is set
SDANE_disabled
R$+	$: < $(stsxnodaneflag $1 $: NOFLAGS $) >
R<$* @>	$@ <>
R$*	$: < $&{sts_sni} >
R<>	$@ <>
R$*	$@ <DANE>

###  STS_disabled: <> with client flag MM or without a recipient
SSTS_disabled
R$*		$: $&{client_flags}
R$* MM $*	$@ <>
R$*		$: $&{rcpt_addr} $| $1
R $| $*		$@ <>
R$*		$@ <STS>

###  tls_clt_features: host $| address -> option list
Stls_clt_features
R$*			$: $1 $| <>
ifdef(`_ACCESS_TABLE_', `dnl
R$* $| <>		$: $1 $| $>"tls_clt_feat_acc" $1
R$* $| $* $| $*		$: $1 $| $2 $| <$3>', `dnl')
ifdef(`_MTA_STS_', `dnl
R$* $| $* $| <$*>	$: $1 $| $2 $| <$3> $| $>"STS_disabled" sts
R$* $| $* $| <$*> $| <>	$@ $3
R$* $| $* $| <$*> $| $*		$: $1 $| $2 $| <$3> $| $>"DANE_disabled" $3
R$* $| $* $| <$+> $| <DANE>		$@ $3
R$* $| $* $| <> $| <DANE>		$@ ""
R$* $| $* $| <$*> $| <$*>	$: $1 $| $2 $| <$3> $| $>"Set_SNI" $1
R$* $| $* $| <""> $| $+		$@ $3
R$* $| $* $| <$+;> $| $+		$@ $3 ; $4
R$* $| $* $| <$+> $| $+		$@ $3 ; $4
R$* $| $* $| <> $| $+		$@ $3
R$* $| $* $| $* $| $*		$: $1 $| $2 $| $3
', `dnl')
R$* $| $* $| <"">	$@ ""
R$* $| $* $| <$+>	$@ $3
R$*			$@ ""
