divert(-1)
dnl ostype/domainos.m4 -- Apollo Domain/OS.
divert(0)
VERSIONID(`ostype/domainos.m4 (our tree)')
divert(-1)
_DEFIFNOT(`QUEUE_DIR', `/usr/spool/mqueue')
define(`confEBINDIR', `/usr/lib')
