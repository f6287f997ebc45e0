divert(-1)
dnl domain/generic.m4 -- a reasonable default domain file: .forward
dnl variants with +detail, cw file, redirect, root exposed.
divert(0)
VERSIONID(`domain/generic.m4 (our tree)')
divert(-1)
define(`confFORWARD_PATH', `$z/.forward.$w+$h:$z/.forward+$h:$z/.forward.$w:$z/.forward')
define(`confMAX_HEADERS_LENGTH', `32768')
FEATURE(`redirect')
FEATURE(`use_cw_file')
EXPOSED_USER(`root')
