divert(-1)
dnl proto.m4 -- writes the body of sendmail.cf once the .mc is read.
dnl
dnl The parts are plain includes so each stays small:
dnl	p_setup.m4	checks and derived settings (writes nothing)
dnl	p_local.m4	macros, classes and maps of the local site
dnl	p_options.m4	the O lines (one table row per option)
dnl	p_headers.m4	queue groups, precedences, trusted users, headers
dnl	p_canon.m4	canonify (3), Canonify2 (96), final (4)
dnl	p_parse.m4	parse (0) and its helpers, localaddr (5), masquerading
dnl	p_access.m4	access map lookups D and A, CanonAddr, ParseRecipient
dnl	p_policy.m4	check_relay, check_mail, check_rcpt and relaying
dnl	p_tls.m4	AUTH/STARTTLS policy, features, rate/connection control
dnl and finally the LOCAL_RULESETS text, milters and mailers.
include(_CF_DIR_`m4/p_setup.m4')
divert(0)dnl
VERSIONID(`proto.m4 (our tree)')

# configuration file format level
V`'CF_LEVEL`'ifdef(`NO_VENDOR', `', `/ifdef(`VENDOR_NAME', `VENDOR_NAME', `Berkeley')')
include(_CF_DIR_`m4/p_local.m4')dnl
include(_CF_DIR_`m4/p_options.m4')dnl
include(_CF_DIR_`m4/p_headers.m4')dnl
include(_CF_DIR_`m4/p_canon.m4')dnl
include(_CF_DIR_`m4/p_parse.m4')dnl
include(_CF_DIR_`m4/p_access.m4')dnl
include(_CF_DIR_`m4/p_policy.m4')dnl
include(_CF_DIR_`m4/p_tls.m4')dnl
undivert(9)dnl LOCAL_RULESETS
#
#####  mail filters
#
_MAIL_FILTERS_
#
#####  mailers
#
undivert(7)dnl MAILER_DEFINITIONS
