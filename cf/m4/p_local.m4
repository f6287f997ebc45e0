divert(-1)
dnl p_local.m4 -- macros, classes and maps describing the local site.
divert(0)dnl

# file safety overrides: must come before any file is read
_OPTION(DontBlameSendmail, `confDONT_BLAME_SENDMAIL', `safe')

# default LDAP specification, needed before any LDAP map
_OPTION(LDAPDefaultSpec, `confLDAP_DEFAULT_SPEC', `-h localhost')

#####  local info

# LDAP cluster name (used by LDAP maps and classes)
ifdef(`confLDAP_CLUSTER', `D{sendmailMTACluster}`'confLDAP_CLUSTER', `#D{sendmailMTACluster}$m')

Cwlocalhost
ifdef(`USE_CW_FILE', `# other names of this host
Fw`'confCW_FILE', `dnl')

# official name of this host ($j)
ifdef(`confDOMAIN_NAME', `Dj`'confDOMAIN_NAME', `#Dj$w.Foo.COM')

# names ending in a word of class P are never looked up in DNS
CP.

ifdef(`UUCP_RELAY', `# UUCP relay
DY`'UUCP_RELAY
CPUUCP

')dnl
ifdef(`BITNET_RELAY', `# BITNET relay
DB`'BITNET_RELAY
CPBITNET

')dnl
ifdef(`DECNET_RELAY', `define(`_USE_DECNET_SYNTAX_', 1)dnl
# DECnet relay
DC`'DECNET_RELAY
CPDECNET

')dnl
ifdef(`FAX_RELAY', `# FAX relay
DF`'FAX_RELAY
CPFAX

')dnl
# smart host for all non-local mail (empty: none)
DS`'ifdef(`SMART_HOST', `SMART_HOST')

ifdef(`LUSER_RELAY', `dnl
# where unknown local users are sent
Kuser user -m -a<>
DL`'LUSER_RELAY', `dnl')

# characters that route mail when they appear in a local part
CO @ ifdef(`_NO_PERCENTHACK_', `', `%') ifdef(`_NO_UUCP_', `', `!')

# helper classes: a dot, a left bracket
C..
C[[

ifdef(`_ACCESS_TABLE_', `dnl
# access map results that accept
C{Accept}OK RELAY
ifdef(`_DELAY_COMPAT_8_10_', `ifdef(`_BLOCKLIST_RCPT_', `dnl
# 8.10 style spam friend/hater values
C{SpamTag}SPAMFRIEND SPAMHATER')')', `dnl')

ifdef(`_ACCEPT_UNRESOLVABLE_DOMAINS_', `dnl', `dnl
# does the sender domain exist?
Kresolve host -a<_RES_OK_> -T<TEMP>')
C{ResOk}_RES_OK_

ifdef(`_NEED_MACRO_MAP_', `ifdef(`_MACRO_MAP_', `', `define(`_MACRO_MAP_', `1')dnl
# map that sets macros
Kmacro macro')', `dnl')

ifdef(`confCR_FILE', `# hosts we relay for ($=R)
FR`'confCR_FILE', `dnl')

ifdef(`_ARITH_MAP_', `', `define(`_ARITH_MAP_', `1')dnl
# arithmetic
Karith arith')
ifdef(`_FULL_TLS_CONNECTION_CHECK_', `ifdef(`_MACRO_MAP_', `', `define(`_MACRO_MAP_', `1')dnl
# map that sets macros
Kmacro macro')
# TLS requirement words of the access map
C{Tls}VERIFY ENCR
C{TlsVerified}OK TRUSTED', `dnl')
ifdef(`_CERT_REGEX_ISSUER_', `# relevant part of a certificate issuer
KCERTIssuer regex _CERT_REGEX_ISSUER_', `dnl')
ifdef(`_CERT_REGEX_SUBJECT_', `# relevant part of a certificate subject
KCERTSubject regex _CERT_REGEX_SUBJECT_', `dnl')
ifdef(`_MTA_STS_', `# pieces of an MTA-STS answer
Kstsxsni regex -a: -s3 (.*)(servername=)(.*)
Kstsxsni2 regex -a: -s2 (.*)(servername=.*)
Kstsxmatch regex -a: -s2 (match=)(.*)
Kstsxnodaneflag regex -a@ -s3 (.*)(flags=)([^;]*d)(.*)
', `dnl')

ifdef(`LOCAL_RELAY', `# relay for unqualified names (with stickyhost)
DR`'LOCAL_RELAY')

ifdef(`MAIL_HUB', `# hub for all local mail
DH`'MAIL_HUB')

# removes quotes
Kdequote dequote`'ifdef(`confDEQUOTE_OPTS', ` confDEQUOTE_OPTS', `')

# classes: E exposed users, L always local users, M masqueraded domains,
# N domains never masqueraded, R relay domains, w local names
undivert(5)dnl
ifdef(`_VIRTHOSTS_', `CR$={VirtHost}', `dnl')

ifdef(`MASQUERADE_NAME', `# name to masquerade as
DM`'MASQUERADE_NAME')

# sender name of bounces
ifdef(`confMAILER_NAME', `Dn`'confMAILER_NAME', `#DnMAILER-DAEMON')

undivert(6)dnl LOCAL_CONFIG
include(_CF_DIR_`m4/version.m4')dnl
