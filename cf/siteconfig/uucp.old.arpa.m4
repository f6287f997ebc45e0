PUSHDIVERT(-1)
dnl siteconfig/uucp.old.arpa.m4 -- historical UUCP neighbours, one SITE() each, for
dnl SITECONFIG(`uucp.old.arpa', host, class). Data only.
POPDIVERT`'dnl
SITE(endotsew)
SITE(fateman)
SITE(interlan)
SITE(metron)
