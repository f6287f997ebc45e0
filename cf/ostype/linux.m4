divert(-1)
dnl ostype/linux.m4 -- Linux: procmail as the local mailer.
divert(0)
VERSIONID(`ostype/linux.m4 (our tree)')
divert(-1)
define(`confEBINDIR', `/usr/sbin')
_DEFIFNOT(`PROCMAIL_MAILER_PATH', `/usr/bin/procmail')
FEATURE(`local_procmail')
