divert(-1)
dnl hack/debian_auth.m4 -- Debian AUTH defaults: default-auth-info file,
dnl user "sendmail" trusted, trusted users may AUTH= as anyone.
dnl DEBIAN_DEBUG logs the AUTH macros.
divert(0)dnl
VERSIONID(`hack/debian_auth.m4 (our tree)')
divert(-1)
define(`confDEF_AUTH_INFO', `MAIL_SETTINGS_DIR`'default-auth-info')
ifdef(`confTRUSTED_USERS',
	`define(`confTRUSTED_USERS', defn(`confTRUSTED_USERS')`,sendmail')',
	`define(`confTRUSTED_USERS', `sendmail')')
LOCAL_RULESETS
SLocal_trust_auth
R$*	$: $&{auth_authen}
ifdef(`DEBIAN_DEBUG', `dnl
R$*	$: $(log authtype:$&{auth_type} $) $1
R$*	$: $(log authauthen:$&{auth_authen} $) $1
R$*	$: $(log authauthor:$&{auth_author} $) $1')
R$=t	$@ $#ok Trusted users...    Allow trusted users to auth= as anyone
divert(-1)
