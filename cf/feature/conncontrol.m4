divert(-1)
dnl feature/conncontrol.m4 -- per-client limit from the access map (see
dnl p_tls.m4). Arguments: [`nodelay' (check at connect; needs
dnl delay_checks)], [`terminate' (reply 421 instead of 452)].
ifdef(`_ACCESS_TABLE_', `dnl
define(`_CONN_CONTROL_', `1')dnl
ifelse(defn(`_ARG_'), `', `',
	strcasecmp(defn(`_ARG_'), `nodelay'), `1',
	`ifdef(`_DELAY_CHECKS_',
		`define(`_CONN_CONTROL_IMMEDIATE_', `1')define(`_CONTROL_IMMEDIATE_', `1')',
		`_CF_ERR0_(`*** ERROR: FEATURE(`conncontrol', `nodelay') requires FEATURE(`delay_checks')')')',
	`_CF_ERR0_(`*** ERROR: unknown parameter '"defn(`_ARG_')"` for FEATURE(`conncontrol')')')dnl
define(`_FFR_SRCHLIST_A', `1')dnl
ifelse(_ARG2_, `', `', _ARG2_, `terminate', `define(`_CONN_CONTROL_REPLY', `421')',
	`_CF_ERR_(`*** ERROR: FEATURE(`conncontrol'): unknown argument '"_ARG2_")')',
`_CF_ERR_(`*** ERROR: FEATURE(`conncontrol') requires FEATURE(`access_db')')')
ifdef(`_CONN_CONTROL_REPLY', `', `define(`_CONN_CONTROL_REPLY', `452')')
