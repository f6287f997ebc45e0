divert(-1)
dnl feature/authinfo.m4 -- separate map of client AUTH credentials
dnl (AuthInfo: entries).
define(`_AUTHINFO_TABLE_', `')
LOCAL_CONFIG
Kauthinfo _CF_MAPSPEC_(`authinfo', `ldap -1 -v sendmailMTAMapValue,sendmailMTAMapSearch:FILTER:sendmailMTAMapObject,sendmailMTAMapURL:URL:sendmailMTAMapObject -k (&(objectClass=sendmailMTAMapObject)(|(sendmailMTACluster=${sendmailMTACluster})(sendmailMTAHost=$j))(sendmailMTAMapName=authinfo)(sendmailMTAKey=%0))')
