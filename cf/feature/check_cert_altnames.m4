divert(-1)
dnl feature/check_cert_altnames.m4 -- match CN requirements against
dnl subjectAltNames too.
define(`_FFR_TLS_ALTNAMES', `1')
LOCAL_CONFIG
O SetCertAltnames=true
