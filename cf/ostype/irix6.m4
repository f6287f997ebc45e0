divert(-1)
dnl ostype/irix6.m4 -- SGI IRIX 6.
divert(0)
VERSIONID(`ostype/irix6.m4 (our tree)')
divert(-1)
dnl The reference tree's IRIX files carry a comment line that, because
dnl cf.m4 turns m4 comments off, really defines LOCAL_MAILER_CHARSET:
dnl the local mailer gets C=iso-8859-1 there, so it does here too.
define(`LOCAL_MAILER_CHARSET', `iso-8859-1')
_DEFIFNOT(`LOCAL_MAILER_FLAGS', `Ehmu9')
_DEFIFNOT(`LOCAL_MAILER_ARGS', `mail -s -d $u')
_DEFIFNOT(`QUEUE_DIR', `/var/spool/mqueue')
_DEFIFNOT(`STATUS_FILE', `/var/sendmail.st')
define(`confDEF_USER_ID', `998:998')
define(`confTIME_ZONE', `USE_TZ')
define(`confEBINDIR', `/usr/lib')
