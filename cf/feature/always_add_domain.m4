divert(-1)
dnl feature/always_add_domain.m4 -- qualify local addresses even for
dnl local delivery; optional argument: the domain to add.
ifdef(`_MAILER_local_', `_CF_ERR0_(`*** MAILER(`local') must appear after FEATURE(`always_add_domain')')')
define(`_ALWAYS_ADD_DOMAIN_', ifelse(defn(`_ARG_'), `', `', `_ARG_'))
