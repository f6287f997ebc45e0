divert(-1)
dnl util.m4 -- helpers shared by the whole tree.
dnl
dnl Diversions: PUSHDIVERT(n)/POPDIVERT switch output and come back.
dnl Strings:    lower(s), strcasecmp(a, b) -> 1 when equal ignoring case,
dnl             CONCAT(a, ..., g), DOL(n) -> $n in rule text.
dnl Arguments:  inside a FEATURE/HACK/MAILER file _ARG_ is the first
dnl             argument after the name, _ARG1_.._ARG9_ the others.
dnl Defaults:   _DEFIFNOT(name, value) defines name unless already set;
dnl             _OPTINS(name, before, after) -> before<value>after if set.
dnl Flags:      MODIFY_MAILER_FLAGS(NAME, [+|-]chars) records a change that
dnl             _MODMF_(flags, NAME) applies when the mailer is written.
dnl Errors:     _CF_ERR_(text) prints "m4:FILE:LINE: text" on stderr where
dnl             FILE:LINE is the .mc line that used the failing macro.
dnl
define(`PUSHDIVERT', `pushdef(`__D__', divnum)divert($1)')
define(`POPDIVERT', `divert(__D__)popdef(`__D__')')

define(`lower', `translit(`$1', `ABCDEFGHIJKLMNOPQRSTUVWXYZ', `abcdefghijklmnopqrstuvwxyz')')
define(`strcasecmp', `ifelse(lower($1), lower($2), `1', `0')')
define(`CONCAT', `$1$2$3$4$5$6$7')
define(`DOL', ``$'$1')
define(`_DEFIFNOT', `ifdef(`$1', `', `define(`$1', `$2')')')
define(`_OPTINS', `ifdef(`$1', `$2$1$3')')

dnl positional access to the argument list saved in _ARGS_
define(`_CF_NTH_', `ifelse(`$1', `1', `$2', `_CF_NTH_(decr($1), shift(shift($@)))')')
define(`_ARG1_', `_CF_NTH_(1, _ARGS_)')
define(`_ARG2_', `_CF_NTH_(2, _ARGS_)')
define(`_ARG3_', `_CF_NTH_(3, _ARGS_)')
define(`_ARG4_', `_CF_NTH_(4, _ARGS_)')
define(`_ARG5_', `_CF_NTH_(5, _ARGS_)')
define(`_ARG6_', `_CF_NTH_(6, _ARGS_)')
define(`_ARG7_', `_CF_NTH_(7, _ARGS_)')
define(`_ARG8_', `_CF_NTH_(8, _ARGS_)')
define(`_ARG9_', `_CF_NTH_(9, _ARGS_)')
dnl _ACC_ARG_n_(list...): n-th of a list; kept for feature files from elsewhere
define(`_ACC_ARG_1_', `$1')define(`_ACC_ARG_2_', `$2')define(`_ACC_ARG_3_', `$3')
define(`_ACC_ARG_4_', `$4')define(`_ACC_ARG_5_', `$5')define(`_ACC_ARG_6_', `$6')
define(`_ACC_ARG_7_', `$7')define(`_ACC_ARG_8_', `$8')define(`_ACC_ARG_9_', `$9')

dnl the standard tempfail reply of map lookups
ifdef(`_USETMPFTOKEN_',
	`define(`_TMPFMSG_', `"451 Temporary system failure $1. Please try again later."')',
	`define(`_TMPFMSG_', `"451 Temporary system failure. Please try again later."')')

dnl --- mailer flag editing -------------------------------------------
dnl _CF_FOLD_(op, acc, chars): apply op(acc, c) for each char c in chars
define(`_CF_FOLD_', `ifelse(`$3', `', `$2',
	`_CF_FOLD_(`$1', $1(`$2', substr(`$3', 0, 1)), substr(`$3', 1))')')
dnl add char $2 to $1 unless present; drop the first $2 from $1
define(`_CF_ADDC_', `ifelse(index(`$1', `$2'), `-1', `$1$2', `$1')')
define(`_CF_DELC_', `ifelse(index(`$1', `$2'), `-1', `$1',
	`substr(`$1', 0, index(`$1', `$2'))`'substr(`$1', incr(index(`$1', `$2')))')')
define(`MODIFY_MAILER_FLAGS', `ifelse(substr(`$2', 0, 1), `+',
	`define(`$1_MF_A_', ifdef(`$1_MF_A_', `defn(`$1_MF_A_')')`'substr(`$2', 1))',
	substr(`$2', 0, 1), `-',
	`define(`$1_MF_D_', ifdef(`$1_MF_D_', `defn(`$1_MF_D_')')`'substr(`$2', 1))',
	`define(`$1_MF_', `$2')define(`$1_MF_A_', `')define(`$1_MF_D_', `')')')
define(`_MODMF_', `ifdef(`$2_MF_', `defn(`$2_MF_')',
	`_CF_FOLD_(`_CF_ADDC_',
		_CF_FOLD_(`_CF_DELC_', `$1', ifdef(`$2_MF_D_', `defn(`$2_MF_D_')')),
		ifdef(`$2_MF_A_', `defn(`$2_MF_A_')'))')')

dnl --- error reporting -----------------------------------------------
dnl _CF_AT_(): remember where the .mc is (outermost vocabulary call only)
define(`_CF_WHERE_', `__file__:__line__')
define(`_CF_MARK_', `ifdef(`_CF_NESTED_', `', `define(`_CF_WHERE_', $1)')')
define(`_CF_ERR_', `errprint(`m4:'_CF_WHERE_`: $1
')')
dnl _CF_ERR0_(text): the same without the final newline, for the messages
dnl that upstream prints that way (so the texts stay identical)
define(`_CF_ERR0_', `errprint(`m4:'_CF_WHERE_`: $1')')
define(`_CF_FATAL_', `_CF_ERR_(`$1')m4exit(`1')')
dnl _CF_ERR_AT_(file:line, text): _CF_ERR_ naming a place remembered earlier
define(`_CF_ERR_AT_', `errprint(`m4:'$1`: $2
')')

dnl _CF_MAPSPEC_(file, ldap spec): the K line spec of a map-taking FEATURE:
dnl its argument, the LDAP default for `LDAP', else the default file
define(`_CF_MAPSPEC_', `ifelse(defn(`_ARG_'), `', `DATABASE_MAP_TYPE MAIL_SETTINGS_DIR`'$1',
	defn(`_ARG_'), `LDAP', `$2', `_ARG_')')
