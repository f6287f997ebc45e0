divert(-1)
dnl hack/spamtrap.m4 -- recipients with a To:...POISON access entry poison
dnl the message (refused at end of header); a To: header with such an
dnl address alone is refused too (Debian).
divert(0)dnl
LOCAL_CONFIG
Kmacro macro
LOCAL_RULESETS
SLocal_check_rcpt
R$*				$: $1 $| $1
R$* $| $* <$+> $*		$1 $| $3
R$* $| $+			$: $1 $| $>SearchList <!To> $| <E:$2> <>
R$* $| <POISON>			$: $1 $| $(macro {PoisonRecipient} $@ POISON $)
R$* $| $*			$: $1

Scheck_eoh
R$*				$: $&{PoisonRecipient}
RPOISON				$#error $@ 5.7.1 $: 550 Mail sent to spam lists is not accepted here

HTo: $>CheckTo

SCheckTo
R$+ , $+			$@ $1 , $2
R$*				$: $1 $| $>SearchList <!To> $| <E:$1> <>
R$* $| <POISON>			$#error $@ 5.7.1 $: 550 Mail sent by spamware is not accepted here
R$* $| $*			$: $1
divert(-1)
