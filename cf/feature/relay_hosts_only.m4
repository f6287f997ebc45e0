divert(-1)
dnl feature/relay_hosts_only.m4 -- relay entries match hosts exactly,
dnl not whole domains.
define(`_RELAY_HOSTS_ONLY_', `1')
