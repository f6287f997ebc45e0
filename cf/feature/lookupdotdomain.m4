divert(-1)
dnl feature/lookupdotdomain.m4 -- also try ".domain" keys in the access map.
ifdef(`_ACCESS_TABLE_', `define(`_LOOKUPDOTDOMAIN_')',
	`_CF_ERR_(`*** ERROR: FEATURE(`lookupdotdomain') requires FEATURE(`access_db')')')
ifdef(`_RELAY_HOSTS_ONLY_',
	`_CF_ERR_(`*** WARNING: FEATURE(`lookupdotdomain') does not work well with FEATURE(`relay_hosts_only')')')
