divert(-1)
dnl feature/tls_failures.m4 -- obsolete; use confTLS_FALLBACK_TO_CLEAR.
_CF_ERR_(`*** ERROR: FEATURE(tls_failures) has been replaced by confTLS_FALLBACK_TO_CLEAR')
define(`confTLS_FALLBACK_TO_CLEAR', `true')
