divert(-1)
dnl hack/virthost_by_ip.m4 -- Debian: greeting, Received: and HELO name
dnl follow the interface the connection came in on (${if_name}).
include(_CF_DIR_`m4/debian.m4')
divert(0)dnl
VERSIONID(`hack/virthost_by_ip.m4 (our tree)')
divert(-1)
define(`confSMTP_LOGIN_MSG', `$?{if_name}${if_name}$|$j$. Sendmail $v/$Z; $b; (No UCE/UBE) $?{client_addr}logging access from: ${client_name}(${client_resolve})-$_$.')
define(`_REC_BY_', `$.by $?{if_name}${if_name}$|$j$. ($v/$Z)$?r with $r$. id $i$?{tls_version}')
define(`confRECEIVED_HEADER', `_REC_HDR_
	_REC_FULL_AUTH_$?{auth_ssf} bits=${auth_ssf}$.)
	_REC_BY_
	_REC_TLS_
	_REC_END_')
dnl Debian's version means to add CLIENT_OPTIONS(`Modifier=h') but its test
dnl never succeeds, so no client option is added; we behave the same.
