divert(-1)
dnl domain/debian-mta.m4 -- Debian settings for the MTA (sendmail.cf).
include(_CF_DIR_`m4/debian.m4')
divert(0)dnl
VERSIONID(`domain/debian-mta.m4 (our tree)')
divert(-1)
define(`DEBIAN_MTA')
define(`STATUS_FILE', `/var/lib/sendmail/sendmail.st')
define(`confHOST_STATUS_DIRECTORY', `/var/lib/sendmail/host_status')
define(`confPID_FILE', `/var/run/sendmail/mta/sendmail.pid')
define(`confCONTROL_SOCKET_NAME', `/var/run/sendmail/mta/smcontrol')
define(`confPROCESS_TITLE_PREFIX', `MTA')
define(`confMAX_DAEMON_CHILDREN', `0')
define(`confRRT_IMPLIES_DSN', `False')
define(`confSAFE_FILE_ENV', `/')
define(`confSAFE_QUEUE', `True')
define(`confQUEUE_FILE_MODE', `0600')
define(`confTEMP_FILE_MODE', `0600')
define(`confTO_ICONNECT', `2m')
define(`confTO_MAIL', `2m')
define(`confTO_DATAINIT', `2m')
define(`confTO_RSET', `1m')
define(`confTO_QUIT', `2m')
define(`confTO_COMMAND', `5m')
define(`confTO_IDENT', `5s')
define(`confMAX_HOP', `100')
dnl _CF_DBS_(words): append to confDONT_BLAME_SENDMAIL
define(`_CF_DBS_', `define(`confDONT_BLAME_SENDMAIL', defn(`confDONT_BLAME_SENDMAIL')`,$1')')
ifelse(eval(sm_version_math >= 526592), `1',
	`_CF_DBS_(`AssumeSafeChown,ForwardFileInGroupWritableDirPath,GroupWritableForwardFileSafe,GroupWritableIncludeFileSafe,IncludeFileInGroupWritableDirPath')')
ifelse(eval(sm_version_math >= 526848), `1',
	`_CF_DBS_(`DontWarnForwardFileInUnsafeDirPath,TrustStickyBit,NonRootSafeAddr')')
ifelse(eval(sm_version_math >= 527360), `1', `_CF_DBS_(`GroupWritableIncludeFile')')
ifelse(eval(sm_version_math >= 527360), `1', `ifelse(eval(sm_version_math < 528128), `1',
	`_CF_DBS_(`GroupReadableaDefaultAuthInfoFile')',
	`_CF_DBS_(`GroupReadableDefaultAuthInfoFile')')')
ifelse(eval(sm_version_math >= 526848), `1', `ifelse(eval(sm_version_math < 527360), `1',
	`FEATURE(`no_default_msa')')')
ifelse(eval(sm_version_math >= 527360), `1',
	`define(`confQUEUE_FILE_MODE', `0640')define(`confTEMP_FILE_MODE', `0640')')
define(`confPRIVACY_FLAGS', `restrictqrun')
dnl (Debian's file leaves a blank in front of the value; kept for identity)
ifelse(eval(sm_version_math >= 527360), `1',
	`define(`confPRIVACY_FLAGS', `    'defn(`confPRIVACY_FLAGS')`,restrictexpand')')
ifdef(`confTRUSTED_USER', `', `define(`confTRUSTED_USER', `smmta')')
define(`confMAX_RUNNERS_PER_QUEUE', `5')
