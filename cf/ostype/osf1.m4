divert(-1)
dnl ostype/osf1.m4 -- Digital UNIX / OSF/1.
divert(0)
VERSIONID(`ostype/osf1.m4 (our tree)')
divert(-1)
_DEFIFNOT(`STATUS_FILE', `/usr/adm/sendmail/sendmail.st')
define(`confDEF_USER_ID', `daemon')
define(`confEBINDIR', `/usr/lbin')
