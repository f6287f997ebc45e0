divert(-1)
dnl feature/relay_based_on_MX.m4 -- relay to domains whose MX is us.
define(`_RELAY_MX_SERVED_', `1')
LOCAL_CONFIG
Kmxserved bestmx -z: -T<TEMP>
