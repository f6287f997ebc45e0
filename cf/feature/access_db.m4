divert(-1)
dnl feature/access_db.m4 -- the access map (Connect:, From:, To:, ...).
dnl Arguments: [map spec | `LDAP'] then any of `skip', `lookupdotdomain',
dnl `relaytofulladdress'. The spec should carry -T<TMPF> so that lookup
dnl failures are temporary; it is added (with a warning) when missing.
define(`_ACCESS_TABLE_', `')
define(`_TAG_DELIM_', `:')
define(`_CF_ACCOPT_', `ifelse(lower(`$1'), `skip', `define(`_ACCESS_SKIP_', `1')',
	lower(`$1'), `lookupdotdomain', `define(`_LOOKUPDOTDOMAIN_', `1')',
	lower(`$1'), `relaytofulladdress', `define(`_RELAY_FULL_ADDR_', `1')')')
_CF_ACCOPT_(_ARG2_)_CF_ACCOPT_(_ARG3_)_CF_ACCOPT_(_ARG4_)
define(`_ATMPF_', `<TMPF>')
undefine(`_NARG_')
ifelse(defn(`_ARG_'), `', `', defn(`_ARG_'), `LDAP', `',
	index(defn(`_ARG_'), `sequence '), `0', `',
	index(defn(`_ARG_'), `<TMPF>'), `-1',
	`errprint(`*** WARNING: missing -T<TMPF> in argument of FEATURE(`access_db', 'defn(`_ARG_')`)
')dnl
define(`_NARG_', substr(defn(`_ARG_'), 0, index(defn(`_ARG_'), ` '))` -T<TMPF> 'substr(defn(`_ARG_'), index(defn(`_ARG_'), ` ')))')
ifdef(`_GREET_PAUSE_', `errprint(`*** WARNING: FEATURE(`greet_pause') before FEATURE(`access_db')
	greet_pause will not use access_db!')')
LOCAL_CONFIG
Kaccess ifelse(defn(`_ARG_'), `', `DATABASE_MAP_TYPE -T<TMPF> MAIL_SETTINGS_DIR`'access',
	defn(`_ARG_'), `LDAP', `ldap -T<TMPF> -1 -v sendmailMTAMapValue,sendmailMTAMapSearch:FILTER:sendmailMTAMapObject,sendmailMTAMapURL:URL:sendmailMTAMapObject -k (&(objectClass=sendmailMTAMapObject)(|(sendmailMTACluster=${sendmailMTACluster})(sendmailMTAHost=$j))(sendmailMTAMapName=access)(sendmailMTAKey=%0))',
	`ifdef(`_NARG_', `_NARG_', `_ARG_')')
