divert(-1)
dnl ostype/irix4.m4 -- SGI IRIX 4.
divert(0)
VERSIONID(`ostype/irix4.m4 (our tree)')
divert(-1)
_DEFIFNOT(`LOCAL_MAILER_FLAGS', `Ehm9')
_DEFIFNOT(`QUEUE_DIR', `/usr/spool/mqueue')
define(`confEBINDIR', `/usr/lib')
