divert(-1)
dnl ostype/dgux.m4 -- Data General DG/UX.
divert(0)
VERSIONID(`ostype/dgux.m4 (our tree)')
divert(-1)
_DEFIFNOT(`LOCAL_MAILER_FLAGS', `m9')
define(`confTIME_ZONE', `USE_TZ')
define(`confEBINDIR', `/usr/lib')
LOCAL_CONFIG
E_FORCE_MAIL_LOCAL_=yes
