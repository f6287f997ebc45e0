divert(-1)
dnl feature/masquerade_entire_domain.m4 -- masquerade subdomains
dnl of $=M as well.
define(`_MASQUERADE_ENTIRE_DOMAIN_', `1')
