divert(-1)
dnl feature/stickyhost.m4 -- user@ourname keeps its host (not sent to
dnl LOCAL_RELAY; kept with MAIL_HUB).
define(`_STICKY_LOCAL_DOMAIN_', `1')
