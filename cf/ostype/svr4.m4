divert(-1)
dnl ostype/svr4.m4 -- System V Release 4.
divert(0)
VERSIONID(`ostype/svr4.m4 (our tree)')
divert(-1)
define(`LOCAL_MAILER_PATH', `/usr/ucblib/binmail')
define(`LOCAL_SHELL_FLAGS', `ehuP')
define(`UUCP_MAILER_ARGS', `uux - -r -a$g -gmedium $h!rmail ($u)')
define(`confEBINDIR', `/usr/ucblib')
