divert(-1)
dnl ostype/bsd4.4.m4 -- 4.4 BSD.
divert(0)
VERSIONID(`ostype/bsd4.4.m4 (our tree)')
divert(-1)
_DEFIFNOT(`STATUS_FILE', `/var/log/sendmail.st')
_DEFIFNOT(`LOCAL_MAILER_PATH', `/usr/libexec/mail.local')
_DEFIFNOT(`UUCP_MAILER_ARGS', `uux - -r -z -a$g $h!rmail ($u)')
