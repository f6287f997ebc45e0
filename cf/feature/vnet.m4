divert(-1)
dnl feature/vnet.m4 -- IBM VNET/RSCS routing through $A (Debian).
LOCAL_CONFIG
CAvnet.ibm.com vnet rscs ipnet
LOCAL_RULE_3
R$* % ibmus.rscs < @ $+> $*	$: $1 < @ us.ibm.com > $3
R$* % ibmca.rscs < @ $+> $*	$: $1 < @ ca.ibm.com > $3
R$* % ibmuk.rscs < @ $+> $*	$: $1 < @ uk.ibm.com > $3
R$* % $-.rscs    < @ $+> $*	$: $1 < @ $2.rscs > $4
R$* < @ $-.$=A > $*			$: $1 < @ $2.vnet . >
LOCAL_NET_CONFIG
R$* < @ $=w . > $*		$@ $1 < @ $2 . > $3
R$* < @ $=w > $*		$@ $1 < @ $2 . > $3
R$* < @ $- . vnet . > $*		$#relay $@ $A $: $1 < @$2.VNET. > $3
R$* < @ $+.ibm.com  > $*	$#relay $@ $2.ibm.com $: $1 < @$2.ibm.com > $3
R$* < @ $+.ibm.com. > $*	$#relay $@ $2.ibm.com $: $1 < @$2.ibm.com > $3
