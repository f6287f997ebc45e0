divert(-1)
dnl feature/promiscuous_relay.m4 -- relay anything for anybody. Dangerous.
define(`_PROMISCUOUS_RELAY_', 1)
errprint(`*** WARNING: FEATURE(`promiscuous_relay') configures your system as open
	relay.  Do NOT use it on a server that is connected to the Internet!
')
