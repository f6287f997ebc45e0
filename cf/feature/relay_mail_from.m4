divert(-1)
dnl feature/relay_mail_from.m4 -- relay when the envelope sender (or with
dnl argument `domain' its domain) has a From: RELAY access entry.
ifdef(`_ACCESS_TABLE_', `define(`_RELAY_DB_FROM_', 1)dnl
ifelse(_ARG_, `domain', `define(`_RELAY_DB_FROM_DOMAIN_', 1)')',
	`_CF_ERR_(`*** ERROR: FEATURE(`relay_mail_from') requires FEATURE(`access_db')')')
errprint(`*** WARNING: FEATURE(`relay_mail_from') may cause your system to act as open
	relay.  Use SMTP AUTH or STARTTLS instead.
')
