divert(-1)
dnl feature/generics_entire_domain.m4 -- genericstable also for
dnl subdomains of $=G.
define(`_GENERICS_ENTIRE_DOMAIN_', `1')
