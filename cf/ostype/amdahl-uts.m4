divert(-1)
dnl ostype/amdahl-uts.m4 -- Amdahl UTS.
divert(0)
VERSIONID(`ostype/amdahl-uts.m4 (our tree)')
divert(-1)
_DEFIFNOT(`LOCAL_MAILER_FLAGS', `fSn9')
define(`confEBINDIR', `/usr/lib')
