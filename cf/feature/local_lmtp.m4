divert(-1)
dnl feature/local_lmtp.m4 -- local delivery with an LMTP program.
dnl Arguments: [path] (default confEBINDIR/mail.local), [argv].
ifdef(`_MAILER_local_', `_CF_ERR_(`*** FEATURE(local_lmtp) must occur before MAILER(local)')')
define(`LOCAL_MAILER_PATH', ifelse(defn(`_ARG_'), `',
	ifdef(`confEBINDIR', confEBINDIR, `/usr/libexec')`/mail.local', `_ARG_'))
define(`LOCAL_MAILER_FLAGS', `PSXmnz9')
define(`LOCAL_MAILER_ARGS', ifelse(_ARG2_, `', `mail.local -l', `_ARG2_'))
define(`LOCAL_MAILER_DSN_DIAGNOSTIC_CODE', `SMTP')
define(`_LOCAL_LMTP_', `1')
