divert(-1)
dnl ostype/sunos3.5.m4 -- SunOS 3.5.
divert(0)
VERSIONID(`ostype/sunos3.5.m4 (our tree)')
divert(-1)
define(`confEBINDIR', `/usr/lib')
