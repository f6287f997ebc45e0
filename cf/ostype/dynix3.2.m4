divert(-1)
dnl ostype/dynix3.2.m4 -- Sequent DYNIX 3.2.
divert(0)
VERSIONID(`ostype/dynix3.2.m4 (our tree)')
divert(-1)
_DEFIFNOT(`QUEUE_DIR', `/usr/spool/mqueue')
define(`confEBINDIR', `/usr/lib')
