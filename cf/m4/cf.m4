divert(-1)
dnl
dnl cf.m4 -- entry point of the sendmail.cf generator.
dnl
dnl An admin's site.mc is turned into sendmail.cf either with
dnl	m4 [-D_CF_DIR_=/path/to/cf/] /path/to/cf/m4/cf.m4 site.mc > sendmail.cf
dnl or by a site.mc that does include(`/path/to/cf/m4/cf.m4') itself.
dnl
dnl _CF_DIR_ names the top of this tree (it must end in a slash); when it
dnl is not given it is the directory above the one holding this file.
dnl Loading this file twice is harmless: the second load does nothing.
dnl

ifdef(`_CF_DIR_', `',
	`ifelse(__file__, `__file__', `define(`_CF_DIR_', `../')',
		regexp(__file__, `^\(.*/\)?m4/cf\.m4$'), `0',
			`define(`_CF_DIR_', patsubst(__file__, `m4/cf\.m4$', `'))',
		`define(`_CF_DIR_', `../')')')
ifelse(_CF_DIR_, `', `define(`_CF_DIR_', `./')')

divert(0)dnl
ifdef(`_CF_LOADED_', `dnl',
`define(`_CF_LOADED_', `1')dnl
include(_CF_DIR_`m4/cfhead.m4')dnl
VERSIONID(`cf.m4 (sendmail-compatible m4 configuration, our tree)')')
