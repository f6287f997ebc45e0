divert(-1)
dnl hack/nodns.m4 -- run without DNS (Debian): service switch without dns,
dnl no interface probing, no canonification.
divert(0)dnl
VERSIONID(`hack/nodns.m4 (our tree)')
divert(-1)
undefine(`confBIND_OPTS')
define(`confSERVICE_SWITCH_FILE', `/etc/mail/service.switch-nodns')
define(`confDONT_PROBE_INTERFACES', `True')
FEATURE(`nocanonify')
