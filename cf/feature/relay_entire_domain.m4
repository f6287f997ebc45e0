divert(-1)
dnl feature/relay_entire_domain.m4 -- relay for every host in $=m.
define(`_RELAY_ENTIRE_DOMAIN_', `1')
