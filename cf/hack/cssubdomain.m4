divert(-1)
dnl hack/cssubdomain.m4 -- treat host.CS.Berkeley.EDU and host.Berkeley.EDU
dnl for our own host names as ourselves (rules for Canonify2).
divert(0)
VERSIONID(`hack/cssubdomain.m4 (our tree)')
divert(2)
R$* < @ $=w .CS.Berkeley.EDU > $*	$: $1 < @ $j > $3
R$* < @ $=w .Berkeley.EDU> $*		$: $1 < @ $j > $3
divert(-1)
