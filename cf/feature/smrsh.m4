divert(-1)
dnl feature/smrsh.m4 -- run programs through smrsh. Argument: its path
dnl (default confEBINDIR/smrsh). Must precede MAILER(local).
ifdef(`_MAILER_local_', `_CF_ERR_(`*** FEATURE(smrsh) must occur before MAILER(local)')')
define(`LOCAL_SHELL_PATH', ifelse(defn(`_ARG_'), `',
	ifdef(`confEBINDIR', confEBINDIR, `/usr/libexec')`/smrsh', `_ARG_'))
_DEFIFNOT(`LOCAL_SHELL_ARGS', `smrsh -c $u')
