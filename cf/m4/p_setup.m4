divert(-1)
dnl p_setup.m4 -- settle everything that depends on the whole .mc.

dnl every configuration has the local and prog mailers
ifdef(`_MAILER_local_', `', `pushdef(`_CF_NESTED_', `1')MAILER(local)popdef(`_CF_NESTED_')')

ifdef(`__OSTYPE__', `',
	`_CF_ERR_(`*** ERROR: No system type defined (use OSTYPE macro)')')

dnl mailers used by the generated rules
_DEFIFNOT(`confSMTP_MAILER', `esmtp')
_DEFIFNOT(`confLOCAL_MAILER', `local')
ifdef(`confRELAY_MAILER', `',
	`define(`confRELAY_MAILER',
		`ifdef(`_MAILER_smtp_', `relay',
			`ifdef(`_MAILER_uucp', `uucp-new', `unknown')')')')
_DEFIFNOT(`confUUCP_MAILER', `uucp-old')
define(`_SMTP_', `confSMTP_MAILER')
define(`_LOCAL_', `confLOCAL_MAILER')
define(`_RELAY_', `confRELAY_MAILER')
define(`_UUCP_', `confUUCP_MAILER')

dnl defines that no longer work
ifdef(`confDEF_GROUP_ID', `_CF_ERR_(`*** confDEF_GROUP_ID is obsolete.
    Use confDEF_USER_ID with a colon in the value instead.')')
ifdef(`confREAD_TIMEOUT', `_CF_ERR_(`*** confREAD_TIMEOUT is obsolete.
    Use individual confTO_<timeout> parameters instead.')')
dnl confMESSAGE_TIMEOUT is "return[/warn]"
ifdef(`confMESSAGE_TIMEOUT',
	`ifelse(index(confMESSAGE_TIMEOUT, /), `-1',
		`define(`confTO_QUEUERETURN', confMESSAGE_TIMEOUT)',
		`define(`confTO_QUEUERETURN',
			substr(confMESSAGE_TIMEOUT, 0, index(confMESSAGE_TIMEOUT, /)))dnl
define(`confTO_QUEUEWARN',
			substr(confMESSAGE_TIMEOUT, incr(index(confMESSAGE_TIMEOUT, /))))')')
ifdef(`confMIN_FREE_BLOCKS', `ifelse(index(confMIN_FREE_BLOCKS, /), `-1', `',
	`_CF_ERR_(`*** compound confMIN_FREE_BLOCKS is obsolete.
    Use confMAX_MESSAGE_SIZE for the second part of the value.')')')

dnl ldap_routing without its own maps needs a default LDAP spec
ifdef(`confLDAP_DEFAULT_SPEC', `', `ifdef(`_LDAP_ROUTING_WARN_', `errprint(`
WARNING: Using default FEATURE(ldap_routing) map definition(s)
without setting confLDAP_DEFAULT_SPEC option.
')')')

dnl _OPTION(Name, define, default): "O Name=value" or a commented default
define(`_OPTION', `ifdef(`$2', `O $1`'ifelse(defn(`$2'), `', `', `=$2')',
	`#O $1`'ifelse(`$3', `', `', `=$3')')')

dnl without delay_checks the check_* rulesets are the real entry points;
dnl with it check_mail/check_relay become checkmail/checkrelay and are
dnl called from check_rcpt
define(`_U_', ifdef(`_DELAY_CHECKS_', `', `_'))

ifdef(`confRELAY_MSG', `', `define(`confRELAY_MSG',
	ifdef(`_USE_AUTH_', `"550 Relaying denied. Proper authentication required."',
		`"550 Relaying denied"'))')
ifdef(`confRCPTREJ_MSG', `', `define(`confRCPTREJ_MSG', `"550 Mailbox disabled for this recipient"')')
define(`_CODE553', `553')

dnl mark used in check_mail for "the sender domain is fine"
define(`_RES_OK_', `OKR')

dnl the full TLS_connection ruleset is needed with an access map or STS
ifdef(`_ACCESS_TABLE_', `define(`_FULL_TLS_CONNECTION_CHECK_', `1')',
	`ifdef(`_MTA_STS_', `define(`_FULL_TLS_CONNECTION_CHECK_', `1')')')
define(`TLS_SRV_TAG', `"TLS_Srv"')
define(`TLS_CLT_TAG', `"TLS_Clt"')
define(`TLS_RCPT_TAG', `"TLS_Rcpt"')
define(`TLS_TRY_TAG', `"Try_TLS"')
define(`SRV_FEAT_TAG', `"Srv_Features"')
define(`CLT_FEAT_TAG', `"Clt_Features"')

ifdef(`_RELAY_DB_FROM_', `define(`_RELAY_MAIL_FROM_', `1')')
ifdef(`_RELAY_LOCAL_FROM_', `define(`_RELAY_MAIL_FROM_', `1')')
