divert(-1)
dnl feature/blocklist_recipients.m4 -- To: access entries may refuse
dnl local recipients (user@, host, full address).
ifdef(`_ACCESS_TABLE_', `define(`_BLOCKLIST_RCPT_', 1)',
	`_CF_ERR_(`*** ERROR: FEATURE(blocklist_recipients) requires FEATURE(access_db)')')
