divert(-1)
dnl feature/nouucp.m4 -- do not route on "!" (UUCP) in local parts.
dnl Argument (required): `reject' (refuse such relaying) or `nospecial'.
ifelse(defn(`_ARG_'), `',
	`_CF_ERR_(`*** ERROR: missing argument for FEATURE(nouucp):
		use `reject' or `nospecial'. See cf/README.')define(`_NO_UUCP_', `e')',
	substr(_ARG_, 0, 1), `r', `define(`_NO_UUCP_', `r')',
	substr(_ARG_, 0, 1), `n', `define(`_NO_UUCP_', `n')',
	`_CF_ERR_(`*** ERROR: illegal argument '_ARG_` for FEATURE(nouucp)')')
