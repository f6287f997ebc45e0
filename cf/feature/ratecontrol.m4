divert(-1)
dnl feature/ratecontrol.m4 -- per-client limit from the access map (see
dnl p_tls.m4). Arguments: [`nodelay' (check at connect; needs
dnl delay_checks)], [`terminate' (reply 421 instead of 452)].
ifdef(`_ACCESS_TABLE_', `dnl
define(`_RATE_CONTROL_', `1')dnl
ifelse(defn(`_ARG_'), `', `',
	strcasecmp(defn(`_ARG_'), `nodelay'), `1',
	`ifdef(`_DELAY_CHECKS_',
		`define(`_RATE_CONTROL_IMMEDIATE_', `1')define(`_CONTROL_IMMEDIATE_', `1')',
		`_CF_ERR0_(`*** ERROR: FEATURE(`ratecontrol', `nodelay') requires FEATURE(`delay_checks')')')',
	`_CF_ERR0_(`*** ERROR: unknown parameter '"defn(`_ARG_')"` for FEATURE(`ratecontrol')')')dnl
define(`_FFR_SRCHLIST_A', `1')dnl
ifelse(_ARG2_, `', `', _ARG2_, `terminate', `define(`_RATE_CONTROL_REPLY', `421')',
	`_CF_ERR_(`*** ERROR: FEATURE(`ratecontrol'): unknown argument '"_ARG2_")')',
`_CF_ERR_(`*** ERROR: FEATURE(`ratecontrol') requires FEATURE(`access_db')')')
ifdef(`_RATE_CONTROL_REPLY', `', `define(`_RATE_CONTROL_REPLY', `452')')
