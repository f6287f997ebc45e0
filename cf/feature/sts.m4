divert(-1)
dnl feature/sts.m4 -- MTA-STS (needs the binary's STS support).
dnl Arguments: [socket map spec], [`NO_SAN_TST' to skip the SAN test].
define(`_MTA_STS_', `')
define(`_NEED_MACRO_MAP_', `1')
ifelse(_ARG2_, `NO_SAN_TST', `', `define(`_STS_SAN', `1')')
LOCAL_CONFIG
O StrictTransportSecurity=true
ifelse(_ARG2_, `NO_SAN_TST', `', `O SetCertAltnames=true')
Ksts ifelse(defn(`_ARG_'), `', `socket -d5 -T<TMPF> inet:5461@127.0.0.1',
	`ifdef(`_NARG_', `_NARG_', `_ARG_')')
