divert(-1)
dnl feature/blacklist_recipients.m4 -- old name of blocklist_recipients.
errprint(`WARNING: FEATURE(blacklist_recipients) is deprecated; use FEATURE(blocklist_recipients.m4).
')
FEATURE(`blocklist_recipients')
