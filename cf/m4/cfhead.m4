#
# sendmail.cf -- generated from an m4 .mc file; edit the .mc, not this.
#
ifdef(`_NO_MAKEINFO_', `dnl', `dnl
ifdef(`TEMPFILE', `dnl', `define(`TEMPFILE', maketemp(/tmp/cfXXXXXX))dnl
syscmd(sh _CF_DIR_`'sh/makeinfo.sh _CF_DIR_ > TEMPFILE)dnl
include(TEMPFILE)dnl
syscmd(rm -f TEMPFILE)dnl')')
divert(-1)
#
# cfhead.m4 -- loads the vocabulary an .mc file may use and the stock
# defaults, then arranges for proto.m4 to write the body of sendmail.cf
# once the whole .mc has been read (m4wrap).
#
# Layout of this directory:
#	cf.m4		entry point (finds _CF_DIR_, loads this file once)
#	cfhead.m4	this file
#	util.m4		small string/list helpers and error reporting
#	vocab.m4	the .mc vocabulary: OSTYPE, FEATURE, MAILER, ...
#	defaults.m4	stock values of the conf* defines
#	proto.m4	writes sendmail.cf; pulls in the p_*.m4 parts
#	version.m4	the $Z version macro
#
dnl From here on # is ordinary text, so comments are written with dnl.
changecom()
undefine(`format')
undefine(`hpux')
ifdef(`pushdef', `',
	`errprint(`This m4 lacks pushdef; use GNU m4 or a System V m4.
')include(`m4 is too old')')

include(_CF_DIR_`m4/util.m4')
include(_CF_DIR_`m4/vocab.m4')
include(_CF_DIR_`m4/defaults.m4')

m4wrap(`include(_CF_DIR_`m4/proto.m4')')
divert(0)dnl
