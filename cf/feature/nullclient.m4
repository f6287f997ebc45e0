divert(-1)
dnl feature/nullclient.m4 -- send all mail to one hub; no local delivery.
dnl Argument (required): the hub.
ifelse(defn(`_ARG_'), `', `_CF_ERR0_(`Feature "nullclient" requires argument')',
	`define(`_NULL_CLIENT_', _ARG_)')
undefine(`ALIAS_FILE')
define(`MAIL_HUB', _NULL_CLIENT_)
define(`SMART_HOST', _NULL_CLIENT_)
define(`confFORWARD_PATH', `')
ifdef(`confFROM_HEADER', `', `define(`confFROM_HEADER', `<$g>')')
define(`_DEF_LOCAL_MAILER_FLAGS', `lsDFM5q')
MASQUERADE_AS(_NULL_CLIENT_)
FEATURE(`allmasquerade')
FEATURE(`masquerade_envelope')
MAILER(`local')
MAILER(`smtp')
