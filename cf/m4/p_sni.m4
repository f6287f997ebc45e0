divert(-1)
dnl p_sni.m4 -- Set_SNI for FEATURE(sts): for a recipient domain with a
dnl secure policy remember {sts_sni} and return "servername=...".
divert(0)dnl
###  Set_SNI: for a secure STS domain set {sts_sni} and return servername=
SSet_SNI
R$*		$: <$&{rcpt_addr}>
R<>		$@ ""
R<$*@$+>	$2
R$+.		$1
R$+		$: $(sts $1 $: none $)
R$* <TMPF>	$#error $@ 4.7.0 $: 450 STS lookup temp fail
Rnone		$@ ""
R$* secure $*	$: $(stsxsni $2 $: : $) $| sts=secure; $(stsxsni2 $2 $: : $)
R$+: $| $+ :	$: $(macro {sts_sni} $@ $&{server_name} $) set $| $2
R$* $| $*	$@ $2
R$*		$@ ""
