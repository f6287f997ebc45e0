divert(-1)
dnl ostype/gnu.m4 -- GNU/Hurd.
divert(0)
VERSIONID(`ostype/gnu.m4 (our tree)')
divert(-1)
_DEFIFNOT(`STATUS_FILE', `/var/log/sendmail.st')
_DEFIFNOT(`LOCAL_MAILER_PATH', `/libexec/mail.local')
_DEFIFNOT(`LOCAL_MAILER_ARGS', `mail $u')
define(`confEBINDIR', `/libexec')
