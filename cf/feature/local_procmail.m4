divert(-1)
dnl feature/local_procmail.m4 -- deliver local mail with procmail.
dnl Arguments: [path], [argv], [flags]. Must precede MAILER(local).
ifdef(`_MAILER_local_', `_CF_ERR_(`*** FEATURE(local_procmail) must occur before MAILER(local)')')
define(`LOCAL_MAILER_PATH', ifelse(defn(`_ARG_'), `',
	ifdef(`PROCMAIL_MAILER_PATH', `PROCMAIL_MAILER_PATH', `/usr/local/bin/procmail'), `_ARG_'))
define(`LOCAL_MAILER_ARGS', ifelse(_ARG2_, `', `procmail -a $h -d $u', `_ARG2_'))
define(`LOCAL_MAILER_FLAGS', ifelse(_ARG3_, `', `SPfhn9', `_ARG3_'))
dnl an OSTYPE may have asked for local_lmtp; procmail wins
undefine(`_LOCAL_LMTP_')
undefine(`LOCAL_MAILER_DSN_DIAGNOSTIC_CODE')
