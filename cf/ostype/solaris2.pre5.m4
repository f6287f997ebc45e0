divert(-1)
dnl ostype/solaris2.pre5.m4 -- Solaris 2 before 2.5.
divert(0)
VERSIONID(`ostype/solaris2.pre5.m4 (our tree)')
divert(-1)
_DEFIFNOT(`LOCAL_MAILER_FLAGS', `SnE9')
_DEFIFNOT(`LOCAL_MAILER_ARGS', `mail -f $g -d $u')
_DEFIFNOT(`UUCP_MAILER_ARGS', `uux - -r -a$g $h!rmail ($u)')
define(`confEBINDIR', `/usr/lib')
