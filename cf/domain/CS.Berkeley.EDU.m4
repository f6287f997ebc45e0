divert(-1)
dnl domain/CS.Berkeley.EDU.m4 -- Berkeley Computer Science.
divert(0)
VERSIONID(`domain/CS.Berkeley.EDU.m4 (our tree)')
divert(-1)
DOMAIN(`Berkeley.EDU')
HACK(`cssubdomain')
define(`confUSERDB_SPEC', `/usr/sww/share/lib/users.cs.db,/usr/sww/share/lib/users.eecs.db')
