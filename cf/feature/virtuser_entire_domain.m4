divert(-1)
dnl feature/virtuser_entire_domain.m4 -- virtusertable also for
dnl subdomains of {VirtHost}.
define(`_VIRTUSER_ENTIRE_DOMAIN_', `1')
