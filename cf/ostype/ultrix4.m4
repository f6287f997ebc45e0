divert(-1)
dnl ostype/ultrix4.m4 -- Ultrix 4.
divert(0)
VERSIONID(`ostype/ultrix4.m4 (our tree)')
divert(-1)
define(`confEBINDIR', `/usr/lib')
