divert(-1)
dnl p_headers.m4 -- queue groups, precedences, trusted users and the
dnl header templates.
ifdef(`confFROM_HEADER', `', `define(`confFROM_HEADER', `$?x$x <$g>$|$g$.')')
ifdef(`confMESSAGEID_HEADER', `', `define(`confMESSAGEID_HEADER', `<$t.$i@$j>')')
divert(0)dnl

#####  queue groups
_QUEUE_GROUP_

#####  precedences
Pfirst-class=0
Pspecial-delivery=100
Plist=-30
Pbulk=-60
Pjunk=-100

#####  trusted users (class t)
ifdef(`_USE_CT_FILE_', `', `#')Ft`'ifdef(`confCT_FILE', confCT_FILE, `MAIL_SETTINGS_DIR`'trusted-users')
Troot
Tdaemon
ifdef(`_NO_UUCP_', `dnl', `Tuucp')
ifdef(`confTRUSTED_USERS', `T`'confTRUSTED_USERS', `dnl')

#####  headers
H?P?Return-Path: <$g>
HReceived: confRECEIVED_HEADER
H?D?Resent-Date: $a
H?D?Date: $a
H?F?Resent-From: confFROM_HEADER
H?F?From: confFROM_HEADER
H?x?Full-Name: $x
H?M?Resent-Message-Id: confMESSAGEID_HEADER
H?M?Message-Id: confMESSAGEID_HEADER

######################################################################
#####  rewriting rules
######################################################################
