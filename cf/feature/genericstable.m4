divert(-1)
dnl feature/genericstable.m4 -- rewrite outgoing local addresses.
dnl Argument: map spec, `LDAP', or empty for the default genericstable.
define(`_GENERICS_TABLE_', `')
LOCAL_CONFIG
Kgenerics _CF_MAPSPEC_(`genericstable', `ldap -1 -v sendmailMTAMapValue,sendmailMTAMapSearch:FILTER:sendmailMTAMapObject,sendmailMTAMapURL:URL:sendmailMTAMapObject -k (&(objectClass=sendmailMTAMapObject)(|(sendmailMTACluster=${sendmailMTACluster})(sendmailMTAHost=$j))(sendmailMTAMapName=generics)(sendmailMTAKey=%0))')
