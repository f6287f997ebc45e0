divert(-1)
dnl feature/loose_relay_check.m4 -- do not look into user%host for
dnl the relaying decision.
define(`_LOOSE_RELAY_CHECK_', `1')
