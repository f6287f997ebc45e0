divert(-1)
dnl feature/mailertable.m4 -- route domains by table.
dnl Argument: map spec, `LDAP', or empty for DATABASE_MAP_TYPE MAIL_SETTINGS_DIR/mailertable.
define(`_MAILER_TABLE_', `')
LOCAL_CONFIG
Kmailertable _CF_MAPSPEC_(`mailertable', `ldap -1 -v sendmailMTAMapValue,sendmailMTAMapSearch:FILTER:sendmailMTAMapObject,sendmailMTAMapURL:URL:sendmailMTAMapObject -k (&(objectClass=sendmailMTAMapObject)(|(sendmailMTACluster=${sendmailMTACluster})(sendmailMTAHost=$j))(sendmailMTAMapName=mailer)(sendmailMTAKey=%0))')
