divert(-1)
dnl feature/relay_local_from.m4 -- relay when the envelope sender is in a
dnl local domain (easily forged).
define(`_RELAY_LOCAL_FROM_', 1)
errprint(`*** WARNING: FEATURE(`relay_local_from') may cause your system to act as open
	relay.  Use SMTP AUTH or STARTTLS instead. If you cannot use those,
	try FEATURE(`relay_mail_from').
')
