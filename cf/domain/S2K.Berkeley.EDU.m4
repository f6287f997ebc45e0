divert(-1)
dnl domain/S2K.Berkeley.EDU.m4 -- Berkeley Sequoia 2000.
divert(0)
VERSIONID(`domain/S2K.Berkeley.EDU.m4 (our tree)')
divert(-1)
DOMAIN(`CS.Berkeley.EDU')
MASQUERADE_AS(`postgres.Berkeley.EDU')
