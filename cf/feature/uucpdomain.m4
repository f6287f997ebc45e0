divert(-1)
dnl feature/uucpdomain.m4 -- UUCP host to domain table.
define(`_UUDOMAIN_TABLE_', `')
LOCAL_CONFIG
Kuudomain _CF_MAPSPEC_(`uudomain', `ldap -1 -v sendmailMTAMapValue,sendmailMTAMapSearch:FILTER:sendmailMTAMapObject,sendmailMTAMapURL:URL:sendmailMTAMapObject -k (&(objectClass=sendmailMTAMapObject)(|(sendmailMTACluster=${sendmailMTACluster})(sendmailMTAHost=$j))(sendmailMTAMapName=uucpdomain)(sendmailMTAKey=%0))')
