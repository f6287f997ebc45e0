divert(-1)
dnl ostype/unicosmk.m4 -- Cray UNICOS/mk.
divert(0)
VERSIONID(`ostype/unicosmk.m4 (our tree)')
divert(-1)
define(`ALIAS_FILE', `/usr/lib/aliases')
define(`HELP_FILE', `/usr/lib/sendmail.hf')
define(`QUEUE_DIR', `/usr/spool/mqueue')
define(`STATUS_FILE', `/usr/lib/sendmail.st')
dnl (the upstream file's change to the local mailer flags never takes effect:
dnl it names `LOCAL ' with a blank; the stock local flags are kept)
MODIFY_MAILER_FLAGS(`SMTP', `+anpeLC')
define(`LOCAL_SHELL_FLAGS', `lsDFMpxehuo')
define(`confPID_FILE', `/etc/sendmail.pid')
