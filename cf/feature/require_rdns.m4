divert(-1)
dnl feature/require_rdns.m4 -- refuse clients without a valid PTR record.
define(`_REQUIRE_RDNS_', `')
