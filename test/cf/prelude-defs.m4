divert(-1)
# prelude-defs.m4: settings the harness puts in front of every .mc it builds.
#
# The harness runs  m4 -D_CF_DIR_=<tree>/ -DTESTDIR=<dir> prelude-defs.m4
# [prelude-cf.m4] x.mc  so that the resulting .cf reads only files inside the
# test's temporary directory and does not depend on the machine: the domain
# name is fixed, host names come from our own hosts file, interfaces are not
# probed, and every default map path (MAIL_SETTINGS_DIR) points at TESTDIR.
# Nothing here needs cf.m4 to be loaded yet; a .mc may override any of it.
ifdef(`TESTDIR', `', `errprint(`prelude-defs.m4: TESTDIR is not defined
')m4exit(2)')
define(`MAIL_SETTINGS_DIR', TESTDIR`/')
define(`confDOMAIN_NAME', `vm.example.com')
define(`confSERVICE_SWITCH_FILE', TESTDIR`/service.switch')
define(`confHOSTS_FILE', TESTDIR`/hosts')
define(`confDONT_PROBE_INTERFACES', `True')
define(`confDONT_BLAME_SENDMAIL', `TrustStickyBit')
define(`QUEUE_DIR', TESTDIR`/mqueue')
define(`MSP_QUEUE_DIR', TESTDIR`/clientmqueue')
define(`STATUS_FILE', TESTDIR`/statistics')
define(`HELP_FILE', TESTDIR`/helpfile')
define(`confPID_FILE', TESTDIR`/sendmail.pid')
divert(0)dnl
