divert(-1)
dnl ostype/sunos4.1.m4 -- SunOS 4.1.
divert(0)
VERSIONID(`ostype/sunos4.1.m4 (our tree)')
divert(-1)
define(`confEBINDIR', `/usr/lib')
