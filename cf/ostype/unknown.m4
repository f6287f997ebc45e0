divert(-1)
dnl ostype/unknown.m4 -- placeholder: complains that no real OS was chosen.
divert(0)
VERSIONID(`ostype/unknown.m4 (our tree)')
divert(-1)
_CF_ERR0_(`*** ERROR: You have not specified a valid operating system type.')dnl
errprint(`	Use the OSTYPE macro to select a valid system type.  This')dnl
errprint(`	is necessary in order to get the proper pathnames and flags')dnl
errprint(`	appropriate for your environment.')