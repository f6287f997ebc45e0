divert(-1)
dnl feature/virtusertable.m4 -- virtual domain aliasing.
dnl Argument: map spec, `LDAP', or empty for the default virtusertable.
define(`_VIRTUSER_TABLE_', `')
LOCAL_CONFIG
Kvirtuser _CF_MAPSPEC_(`virtusertable', `ldap -1 -v sendmailMTAMapValue,sendmailMTAMapSearch:FILTER:sendmailMTAMapObject,sendmailMTAMapURL:URL:sendmailMTAMapObject -k (&(objectClass=sendmailMTAMapObject)(|(sendmailMTACluster=${sendmailMTACluster})(sendmailMTAHost=$j))(sendmailMTAMapName=virtuser)(sendmailMTAKey=%0))')
