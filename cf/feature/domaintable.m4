divert(-1)
dnl feature/domaintable.m4 -- rename domains in ruleset 3.
dnl Argument: map spec, `LDAP', or empty for the default domaintable.
define(`_DOMAIN_TABLE_', `')
LOCAL_CONFIG
Kdomaintable _CF_MAPSPEC_(`domaintable', `ldap -1 -v sendmailMTAMapValue,sendmailMTAMapSearch:FILTER:sendmailMTAMapObject,sendmailMTAMapURL:URL:sendmailMTAMapObject -k (&(objectClass=sendmailMTAMapObject)(|(sendmailMTACluster=${sendmailMTACluster})(sendmailMTAHost=$j))(sendmailMTAMapName=domain)(sendmailMTAKey=%0))')
