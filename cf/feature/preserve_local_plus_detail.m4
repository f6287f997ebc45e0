divert(-1)
dnl feature/preserve_local_plus_detail.m4 -- hand user+detail to the
dnl local mailer unchanged.
define(`_PRESERVE_LOCAL_PLUS_DETAIL_', `1')
