divert(-1)
dnl feature/redirect.m4 -- user@host.REDIRECT bounces with "551 User has
dnl moved; please try <user@host>" (alias old users to the new address).
LOCAL_RULE_0
R$* < @ $+ .REDIRECT. >		$: $1 < @ $2 . REDIRECT . > < ${opMode} >
R$* < @ $+ .REDIRECT. > <i>	$: $1 < @ $2 . REDIRECT. >
R$* < @ $+ .REDIRECT. > < $- >	$#error $@ 5.1.1 $: "551 User has moved; please try " <$1@$2>
LOCAL_CONFIG
CPREDIRECT
