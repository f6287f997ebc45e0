divert(-1)
dnl feature/block_bad_helo.m4 -- refuse unqualified HELO names and our own
dnl names at RCPT time (use with delay_checks).
define(`_BLOCK_BAD_HELO_', `')
RELAY_DOMAIN(`127.0.0.1')
RELAY_DOMAIN(`IPv6:0:0:0:0:0:0:0:1 IPv6:::1')
LOCAL_DOMAIN(`[127.0.0.1]')
LOCAL_DOMAIN(`[IPv6:0:0:0:0:0:0:0:1] [IPv6:::1]')
