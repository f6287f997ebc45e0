divert(-1)
dnl feature/tls_session_features.m4 -- tls_srv_features and
dnl tls_clt_features rulesets reading TLS_*_Features: access entries.
define(`_TLS_SESSION_FEATURES_', `1')
