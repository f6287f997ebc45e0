divert(-1)
dnl feature/accept_unresolvable_domains.m4 -- do not require the
dnl sender domain to resolve.
define(`_ACCEPT_UNRESOLVABLE_DOMAINS_', `1')
