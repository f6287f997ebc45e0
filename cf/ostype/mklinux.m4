divert(-1)
dnl ostype/mklinux.m4 -- MkLinux.
divert(0)
VERSIONID(`ostype/mklinux.m4 (our tree)')
divert(-1)
define(`confEBINDIR', `/usr/sbin')
_DEFIFNOT(`STATUS_FILE', `/var/log/sendmail.st')
_DEFIFNOT(`PROCMAIL_MAILER_PATH', `/usr/bin/procmail')
FEATURE(`local_procmail')
