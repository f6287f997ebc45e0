divert(-1)
dnl feature/nocanonify.m4 -- no DNS canonification of host names (except
dnl $={Canonify}). Argument: `canonify_hosts' to still look up
dnl unqualified names.
define(`_NO_CANONIFY_', 1)
ifelse(defn(`_ARG_'), `', `',
	strcasecmp(defn(`_ARG_'), `canonify_hosts'), `1', `define(`_CANONIFY_HOSTS_', 1)',
	`_CF_ERR_(`*** ERROR: unknown parameter '"defn(`_ARG_')"` for FEATURE(`nocanonify')')')
