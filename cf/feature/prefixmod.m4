divert(-1)
dnl feature/prefixmod.m4 -- recipients starting with a prefix token get
dnl {rcpt_flags}. Arguments (required): prefix, flags.
ifelse(defn(`_ARG_'), `', `_CF_ERR0_(`Feature "prefixmod" requires argument')',
	`define(`_PREFIX_MOD_', _ARG_)')
ifelse(_ARG2_, `', `_CF_ERR0_(`Feature "prefixmod" requires two arguments')',
	`define(`_PREFIX_FLAGS_', _ARG2_)')
define(`_NEED_MACRO_MAP_', `1')
