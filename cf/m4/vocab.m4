divert(-1)
dnl vocab.m4 -- the macros a .mc file is written in.
dnl
dnl Include-style macros read one file of this tree with output discarded
dnl (MAILER writes to the mailer diversion instead):
dnl	OSTYPE(os)  DOMAIN(dom)  FEATURE(name, args)  HACK(name, args)
dnl	MAILER(name)  SITECONFIG(file, host, class)
dnl Accumulating macros build lists written later by proto.m4:
dnl	DAEMON_OPTIONS CLIENT_OPTIONS MAIL_FILTER INPUT_MAIL_FILTER QUEUE_GROUP
dnl Class macros add words (or a file) to a class in diversion 5.
dnl Section macros switch to the diversion whose text proto.m4 places at
dnl the matching point of sendmail.cf:
dnl	1 LOCAL_NET_CONFIG	rules in Parse1 before the smart host
dnl	2 LOCAL_RULE_3		rules in Canonify2
dnl	3 LOCAL_RULE_0		rules in ParseLocal
dnl	4 LOCAL_UUCP		UUCP routing rules in Parse1
dnl	5 (classes)		C and F lines
dnl	6 LOCAL_CONFIG		free text before the options
dnl	7 MAILER_DEFINITIONS	mailers and their rulesets
dnl	8 LOCAL_DNSBL		extra rules at the end of Basic_check_relay
dnl	9 LOCAL_RULESETS etc.	rulesets appended after the stock ones
dnl
dnl _CF_ENTER_/_CF_LEAVE_ bracket a file read on behalf of the .mc so that
dnl error messages keep naming the .mc line, not the nested file.
define(`_CF_ENTER_', `_CF_MARK_(`$1')pushdef(`_CF_NESTED_', `1')')
define(`_CF_LEAVE_', `popdef(`_CF_NESTED_')')

define(`OSTYPE', `PUSHDIVERT(-1)_CF_ENTER_(__file__:__line__)dnl
ifdef(`__OSTYPE__', `_CF_ERR_(`duplicate OSTYPE($1)')')dnl
define(`__OSTYPE__', `$1')define(`_ARG_', `$2')dnl
include(_CF_DIR_`ostype/$1.m4')_CF_LEAVE_`'POPDIVERT`'')

define(`DOMAIN', `PUSHDIVERT(-1)_CF_ENTER_(__file__:__line__)dnl
define(`_ARG_', `$2')include(_CF_DIR_`domain/$1.m4')_CF_LEAVE_`'POPDIVERT`'')

define(`FEATURE', `PUSHDIVERT(-1)_CF_ENTER_(__file__:__line__)dnl
ifdef(`_MAILER_DEFINED_', `_CF_ERR_(`*** ERROR: FEATURE() should be before MAILER()')')dnl
define(`_ARG_', `$2')define(`_ARGS_', `shift($@)')dnl
include(_CF_DIR_`feature/$1.m4')_CF_LEAVE_`'POPDIVERT`'')

define(`HACK', `PUSHDIVERT(-1)_CF_ENTER_(__file__:__line__)dnl
define(`_ARG_', `$2')define(`_ARGS_', `shift($@)')dnl
include(_CF_DIR_`hack/$1.m4')_CF_LEAVE_`'POPDIVERT`'')

dnl MAILER(file[, name]): a mailer file may be loaded once per name
define(`MAILER', `_CF_MARK_(__file__:__line__)dnl
define(`_M_N_', ifelse(`$2', `', `$1', `$2'))dnl
define(`_MAILER_DEFINED_', `1')dnl
ifdef(`_MAILER_'_M_N_`_',
	`_CF_ERR_(`*** ERROR: MAILER('_M_N_`) already included')',
	`define(`_MAILER_'_M_N_`_', `')define(`_ARG_', `$2')define(`_ARGS_', `shift($@)')dnl
PUSHDIVERT(7)_CF_ENTER_(_CF_WHERE_)include(_CF_DIR_`mailer/$1.m4')_CF_LEAVE_`'POPDIVERT`'')')

define(`VERSIONID', ``#####  $1  #####'')
define(`CF_LEVEL', `10')

dnl --- lists kept until proto.m4 writes them --------------------------
define(`_DPO_', `')
define(`DAEMON_OPTIONS', `define(`_DPO_', defn(`_DPO_')
O DaemonPortOptions=`$1')')
define(`_CPO_', `')
define(`CLIENT_OPTIONS', `define(`_CPO_', defn(`_CPO_')
O ClientPortOptions=`$1')')
define(`_MAIL_FILTERS_', `')
define(`_MAIL_FILTERS_DEF', `')
define(`MAIL_FILTER', `define(`_MAIL_FILTERS_', defn(`_MAIL_FILTERS_')
X`'$1`, '`$2')define(`_MAIL_FILTERS_DEF', defn(`_MAIL_FILTERS_DEF')`X')')
define(`INPUT_MAIL_FILTER', `MAIL_FILTER(`$1', `$2')dnl
ifelse(defn(`confINPUT_MAIL_FILTERS'), `',
	`define(`confINPUT_MAIL_FILTERS', `$1')',
	`define(`confINPUT_MAIL_FILTERS', defn(`confINPUT_MAIL_FILTERS')`, $1')')')
define(`_QUEUE_GROUP_', `')
define(`QUEUE_GROUP', `define(`_QUEUE_GROUP_', defn(`_QUEUE_GROUP_')
Q`'$1`, '`$2')')

dnl --- sections ------------------------------------------------------
define(`LOCAL_NET_CONFIG', `define(`_LOCAL_RULES_', 1)divert(1)')
define(`LOCAL_RULE_3', `divert(2)')
define(`LOCAL_RULE_0', `divert(3)')
define(`LOCAL_UUCP', `divert(4)')
define(`LOCAL_CONFIG', `divert(6)')
define(`MAILER_DEFINITIONS', `divert(7)')
define(`LOCAL_DNSBL', `divert(8)')
define(`LOCAL_RULESETS', `divert(9)

')
define(`_CF_RULESET_HEAD_', `divert(9)dnl
###  $1
S$2
')
define(`LOCAL_RULE_1', `_CF_RULESET_HEAD_(`ruleset 1: sender rewriting', `sender=1')')
define(`LOCAL_RULE_2', `_CF_RULESET_HEAD_(`ruleset 2: recipient rewriting', `recipient=2')')
dnl LOCAL_xxx(Name, flag): open SLocal_<name>; these belong after MAILER()
define(`_CF_LOCAL_HOOK_', `define(`$2')dnl
ifdef(`_MAILER_DEFINED_', `', `_CF_MARK_(__file__:__line__)_CF_ERR_(`*** WARNING: MAILER() should be before $1')')
divert(9)
SLocal_`'lower(substr(`$1', 6))')
define(`LOCAL_SRV_FEATURES', `_CF_LOCAL_HOOK_(`LOCAL_SRV_FEATURES', `_LOCAL_SRV_FEATURES_')')
define(`LOCAL_CLT_FEATURES', `_CF_LOCAL_HOOK_(`LOCAL_CLT_FEATURES', `_LOCAL_CLT_FEATURES_')')
define(`LOCAL_TRY_TLS', `_CF_LOCAL_HOOK_(`LOCAL_TRY_TLS', `_LOCAL_TRY_TLS_')')
define(`LOCAL_TLS_RCPT', `_CF_LOCAL_HOOK_(`LOCAL_TLS_RCPT', `_LOCAL_TLS_RCPT_')')
define(`LOCAL_TLS_CLIENT', `_CF_LOCAL_HOOK_(`LOCAL_TLS_CLIENT', `_LOCAL_TLS_CLIENT_')')
define(`LOCAL_TLS_SERVER', `_CF_LOCAL_HOOK_(`LOCAL_TLS_SERVER', `_LOCAL_TLS_SERVER_')')

dnl UUCPSMTP(uucphost, domain): a rule for LOCAL_RULE_3
define(`UUCPSMTP', `R DOL(*) < @ $1 .UUCP > DOL(*)	DOL(1) < @ $2 > DOL(2)')

dnl SITECONFIG(file, host, class): UUCP neighbours listed with SITE()
define(`SITECONFIG', `CONCAT(D, $3, $2)
define(`_CLASS_$3_', `')dnl
ifelse($3, U, C{w}$2 $2.UUCP, `dnl')
define(`SITE', `ifelse(CONCAT($'2`, $3), SU, CONCAT(CY, $'1`), CONCAT(C, $3, $'1`))')
sinclude(_CF_DIR_`siteconfig/$1.m4')')

dnl --- classes -----------------------------------------------------
dnl _CF_CLASS_(letter-or-{name}, C|F, words)
define(`_CF_CLASS_', `PUSHDIVERT(5)$2$1$3
POPDIVERT`'')
define(`EXPOSED_USER', `_CF_CLASS_(`{E}', `C', `$1')dnl`'')
define(`EXPOSED_USER_FILE', `_CF_CLASS_(`{E}', `F', `$1')dnl`'')
define(`LOCAL_USER', `_CF_CLASS_(`{L}', `C', `$1')dnl`'')
define(`LOCAL_USER_FILE', `_CF_CLASS_(`{L}', `F', `$1')dnl`'')
define(`MASQUERADE_AS', `define(`MASQUERADE_NAME', $1)')
define(`MASQUERADE_DOMAIN', `_CF_CLASS_(`{M}', `C', `$1')dnl`'')
define(`MASQUERADE_DOMAIN_FILE', `_CF_CLASS_(`{M}', `F', `$1')dnl`'')
define(`MASQUERADE_EXCEPTION', `_CF_CLASS_(`{N}', `C', `$1')dnl`'')
define(`MASQUERADE_EXCEPTION_FILE', `_CF_CLASS_(`{N}', `F', `$1')dnl`'')
define(`LOCAL_DOMAIN', `_CF_CLASS_(`{w}', `C', `$1')dnl`'')
define(`CANONIFY_DOMAIN', `_CF_CLASS_(`{Canonify}', `C', `$1')dnl`'')
define(`CANONIFY_DOMAIN_FILE', `_CF_CLASS_(`{Canonify}', `F', `$1')dnl`'')
define(`GENERICS_DOMAIN', `_CF_CLASS_(`{G}', `C', `$1')dnl`'')
define(`GENERICS_DOMAIN_FILE', `_CF_CLASS_(`{G}', `F', `$1')dnl`'')
define(`LDAPROUTE_DOMAIN', `_CF_CLASS_(`{LDAPRoute}', `C', `$1')dnl`'')
define(`LDAPROUTE_DOMAIN_FILE', `_CF_CLASS_(`{LDAPRoute}', `F', `$1')dnl`'')
define(`LDAPROUTE_EQUIVALENT', `_CF_CLASS_(`{LDAPRouteEquiv}', `C', `$1')dnl`'')
define(`LDAPROUTE_EQUIVALENT_FILE', `_CF_CLASS_(`{LDAPRouteEquiv}', `F', `$1')dnl`'')
define(`VIRTUSER_DOMAIN', `define(`_VIRTHOSTS_')_CF_CLASS_(`{VirtHost}', `C', `$1')dnl`'')
define(`VIRTUSER_DOMAIN_FILE', `define(`_VIRTHOSTS_')_CF_CLASS_(`{VirtHost}', `F', `$1')dnl`'')
define(`RELAY_DOMAIN', `_CF_CLASS_(`{R}', `C', `$1')dnl`'')
define(`RELAY_DOMAIN_FILE', `_CF_CLASS_(`{R}', `F', `$1')dnl`'')
define(`TRUST_AUTH_MECH', `_DEFIFNOT(`_USE_AUTH_', `1')_CF_CLASS_(`{TrustAuthMech}', `C', `$1')dnl`'')
