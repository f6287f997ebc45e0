divert(-1)
dnl ostype/unknown.m4 -- placeholder: complains that no real OS was chosen.
divert(0)
VERSIONID(`ostype/unknown.m4 (our tree)')
divert(-1)
_CF_ERR_(`*** ERROR: You have not specified a valid operating system type.
	Use the OSTYPE macro to select a valid system type.  This
	is necessary in order to get the proper pathnames and flags
	appropriate for your environment.')