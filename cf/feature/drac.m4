divert(-1)
dnl feature/drac.m4 -- relay for addresses in the DRAC (POP-before-SMTP)
dnl map (Debian). Argument: map spec.
define(`_DRAC_', `')
LOCAL_CONFIG
Kdrac ifelse(defn(`_ARG_'), `', `DATABASE_MAP_TYPE MAIL_SETTINGS_DIR`'drac', `_ARG_')
