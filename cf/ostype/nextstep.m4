divert(-1)
dnl ostype/nextstep.m4 -- NeXTSTEP.
divert(0)
VERSIONID(`ostype/nextstep.m4 (our tree)')
divert(-1)
_DEFIFNOT(`UUCP_MAILER_PATH', `/usr/bin/uux')
_DEFIFNOT(`QUEUE_DIR', `/usr/spool/mqueue')
_DEFIFNOT(`LOCAL_SHELL_FLAGS', `euP')
define(`confEBINDIR', `/usr/lib')
