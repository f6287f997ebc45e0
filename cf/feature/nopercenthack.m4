divert(-1)
dnl feature/nopercenthack.m4 -- do not route on "%" in local parts.
dnl Argument (required): `reject' (refuse such relaying) or `nospecial'.
ifelse(defn(`_ARG_'), `',
	`_CF_ERR_(`*** ERROR: missing argument for FEATURE(nopercenthack):
		use `reject' or `nospecial'. See cf/README.')define(`_NO_PERCENTHACK_', `e')',
	substr(_ARG_, 0, 1), `r', `define(`_NO_PERCENTHACK_', `r')',
	substr(_ARG_, 0, 1), `n', `define(`_NO_PERCENTHACK_', `n')',
	`_CF_ERR_(`*** ERROR: illegal argument '_ARG_` for FEATURE(nopercenthack)')')
