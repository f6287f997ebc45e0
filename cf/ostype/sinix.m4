divert(-1)
dnl ostype/sinix.m4 -- Siemens SINIX.
divert(0)
VERSIONID(`ostype/sinix.m4 (our tree)')
divert(-1)
_DEFIFNOT(`QUEUE_DIR', `/var/spool/mqueue')
define(`LOCAL_MAILER_PATH', `/bin/mail.local')
_DEFIFNOT(`STATUS_FILE', `/var/sendmail.st')
define(`confEBINDIR', `/usr/ucblib')
