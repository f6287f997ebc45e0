divert(-1)
dnl domain/berkeley-only.m4 -- guard used by the Berkeley sample files.
divert(0)
VERSIONID(`domain/berkeley-only.m4 (our tree)')
divert(-1)
_CF_ERR0_(`*** ERROR: You are trying to use the Berkeley sample configuration')dnl
errprint(`	files outside of the Computer Science Division at Berkeley.')dnl
errprint(`	The configuration (.mc) files must be customized to reference')dnl
errprint(`	domain files appropriate for your environment.')