PUSHDIVERT(-1)
dnl siteconfig/uucp.cogsci.m4 -- historical UUCP neighbours, one SITE() each, for
dnl SITECONFIG(`uucp.cogsci', host, class). Data only.
POPDIVERT`'dnl
SITE(contessa)
SITE(emind)
SITE(hoptoad)
SITE(nkainc)
SITE(well)
SITE(ferdy)
