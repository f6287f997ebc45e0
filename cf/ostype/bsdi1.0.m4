divert(-1)
dnl ostype/bsdi1.0.m4 -- BSD/OS 1.0 (deprecated name).
divert(0)
VERSIONID(`ostype/bsdi1.0.m4 (our tree)')
divert(-1)
errprint(`NOTE: OSTYPE(bsdi1.0) is deprecated.  Use OSTYPE(bsdi) instead.')
include(_CF_DIR_`ostype/bsdi.m4')
