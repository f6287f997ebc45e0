divert(-1)
dnl feature/delay_checks.m4 -- run the client and sender checks from
dnl check_rcpt. Arguments: [`friend' | `hater'] (Spam: entries), [`n'
dnl anything: drop the 8.10 compatibility rules].
define(`_DELAY_CHECKS_', 1)
dnl where it was asked for, for the checks made when the rules are written
define(`_DELAY_CHECKS_AT_', defn(`_CF_WHERE_'))
ifelse(defn(`_ARG_'), `', `',
	lower(substr(_ARG_, 0, 1)), `f', `define(`_SPAM_FRIEND_', 1)define(`_SPAM_FH_', 1)',
	lower(substr(_ARG_, 0, 1)), `h', `define(`_SPAM_HATER_', 1)define(`_SPAM_FH_', 1)',
	`_CF_ERR_(`*** ERROR: illegal argument '_ARG_` for FEATURE(delay_checks)')')
ifelse(_ARG2_, `', `define(`_DELAY_COMPAT_8_10_', 1)', `')
