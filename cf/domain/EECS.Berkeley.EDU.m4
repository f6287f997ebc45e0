divert(-1)
dnl domain/EECS.Berkeley.EDU.m4 -- Berkeley EECS.
divert(0)
VERSIONID(`domain/EECS.Berkeley.EDU.m4 (our tree)')
divert(-1)
DOMAIN(`Berkeley.EDU')
MASQUERADE_AS(`EECS.Berkeley.EDU')
