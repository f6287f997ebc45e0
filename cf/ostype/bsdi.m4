divert(-1)
dnl ostype/bsdi.m4 -- BSD/OS (as 4.4 BSD).
divert(0)
VERSIONID(`ostype/bsdi.m4 (our tree)')
divert(-1)
include(_CF_DIR_`ostype/bsd4.4.m4')
