divert(-1)
dnl feature/bitdomain.m4 -- BITNET host to domain table.
define(`_BITDOMAIN_TABLE_', `')
LOCAL_CONFIG
Kbitdomain _CF_MAPSPEC_(`bitdomain', `ldap -1 -v sendmailMTAMapValue,sendmailMTAMapSearch:FILTER:sendmailMTAMapObject,sendmailMTAMapURL:URL:sendmailMTAMapObject -k (&(objectClass=sendmailMTAMapObject)(|(sendmailMTACluster=${sendmailMTACluster})(sendmailMTAHost=$j))(sendmailMTAMapName=bitdomain)(sendmailMTAKey=%0))')
