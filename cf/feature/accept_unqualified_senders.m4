divert(-1)
dnl feature/accept_unqualified_senders.m4 -- accept MAIL FROM addresses
dnl without a domain from remote clients.
define(`_ACCEPT_UNQUALIFIED_SENDERS_', `1')
