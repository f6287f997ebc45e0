PUSHDIVERT(-1)
dnl siteconfig/uucp.ucbarpa.m4 -- historical UUCP neighbours, one SITE() each, for
dnl SITECONFIG(`uucp.ucbarpa', host, class). Data only.
POPDIVERT`'dnl
