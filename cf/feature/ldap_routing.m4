divert(-1)
dnl feature/ldap_routing.m4 -- route recipients in $={LDAPRoute} by LDAP
dnl mailHost / mailRoutingAddress. Arguments: [mailHost map],
dnl [mailRoutingAddress map], [`passthru' | `bounce' | `sendertoo'],
dnl [`strip' | `preserve'], [`nodomain'], [`tempfail' | `queue'].
ifelse(_ARG1_, `', `define(`_LDAP_ROUTING_WARN_', `yes')')
ifelse(_ARG2_, `', `define(`_LDAP_ROUTING_WARN_', `yes')')
ifelse(_ARG5_, `', `', `define(`_LDAP_ROUTE_NODOMAIN_', `yes')')
ifelse(_ARG3_, `', `define(`_LDAP_ROUTING_', `_PASS_THROUGH_')',
	_ARG3_, `passthru', `define(`_LDAP_ROUTING_', `_PASS_THROUGH_')',
	_ARG3_, `sendertoo', `define(`_LDAP_ROUTING_', `_MUST_EXIST_')define(`_LDAP_SENDER_MUST_EXIST_')',
	`define(`_LDAP_ROUTING_', `_MUST_EXIST_')')
ifelse(_ARG4_, `', `',
	_ARG4_, `strip', `define(`_LDAP_ROUTE_DETAIL_', `_STRIP_')',
	_ARG4_, `preserve', `define(`_LDAP_ROUTE_DETAIL_', `_PRESERVE_')')
ifelse(_ARG6_, `', `define(`_LDAP_ROUTE_MAPTEMP_', `_QUEUE_')',
	_ARG6_, `tempfail', `define(`_LDAP_ROUTE_MAPTEMP_', `_TEMPFAIL_')',
	_ARG6_, `queue', `define(`_LDAP_ROUTE_MAPTEMP_', `_QUEUE_')')
define(`_NEED_SMTPOPMODES_', `1')
LOCAL_CONFIG
Kldapmh ifelse(_ARG1_, `', `ldap -1 -T<TMPF> -v mailHost -k (&(objectClass=inetLocalMailRecipient)(mailLocalAddress=%0))', `_ARG1_')
Kldapmra ifelse(_ARG2_, `', `ldap -1 -T<TMPF> -v mailRoutingAddress -k (&(objectClass=inetLocalMailRecipient)(mailLocalAddress=%0))', `_ARG2_')
