divert(-1)
dnl ostype/bsd4.3.m4 -- 4.3 BSD.
divert(0)
VERSIONID(`ostype/bsd4.3.m4 (our tree)')
divert(-1)
_DEFIFNOT(`QUEUE_DIR', `/usr/spool/mqueue')
_DEFIFNOT(`UUCP_MAILER_ARGS', `uux - -r -z -a$g $h!rmail ($u)')
