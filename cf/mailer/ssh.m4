PUSHDIVERT(-1)
dnl mailer/ssh.m4 -- SMTP over ssh (Debian). SSH_MAILER_USER and
dnl SSH_MAILER_DIR are required; also SSH_MAILER_{PATH,FLAGS,ARGS,HOST,MAX,
dnl MAXMSGS,MAXRCPTS,CHARSET,QGRP}, SSH_PATH, SSH_REMOTE_COMMAND.
ifdef(`SSH_MAILER_PATH', `',
	`define(`SSH_MAILER_PATH', ifdef(`SSH_PATH', `SSH_PATH', `/usr/bin/ssh'))')
_DEFIFNOT(`SSH_REMOTE_COMMAND', `/usr/sbin/sendmail -bs')
define(`_CF_QGRP_', `ifelse(defn(`$1'), `', `', ` Q=$1,')')
_DEFIFNOT(`_DEF_SSH_MAILER_FLAGS', `mDFMuX')
_DEFIFNOT(`SSH_MAILER_FLAGS', `')
ifdef(`SSH_MAILER_ARGS', `', `define(`SSH_MAILER_ARGS',
	`ssh -o BatchMode=yes -o EscapeChar=none  -- 'SSH_MAILER_HOST` 'SSH_REMOTE_COMMAND)')
_DEFIFNOT(`SSH_MAILER_HOST', `$h')
ifdef(`SSH_MAILER_USER', `', `_CF_ERR_(`*** SSH_MAILER_USER must be defined before MAILER(`ssh').')')
ifdef(`SSH_MAILER_DIR', `', `_CF_ERR_(`*** SSH_MAILER_DIR must be defined before MAILER(`ssh').')')
POPDIVERT
Mssh,	P=SSH_MAILER_PATH, F=_MODMF_(CONCAT(_DEF_SSH_MAILER_FLAGS, SSH_MAILER_FLAGS), `SSH'), S=EnvFromSMTP/HdrFromSMTP, R=ifdef(`_ALL_MASQUERADE_', `EnvToSMTP/HdrFromSMTP', `EnvToSMTP'), E=\r\n, L=990,
	_OPTINS(`SSH_MAILER_MAX', `M=', `, ')_OPTINS(`SSH_MAILER_MAXMSGS', `m=', `, ')_OPTINS(`SSH_MAILER_MAXRCPTS', `r=', `, ')_OPTINS(`SSH_MAILER_CHARSET', `C=', `, ')T=DNS/RFC822/SMTP,_CF_QGRP_(`SSH_MAILER_QGRP')
	U=SSH_MAILER_USER, D=SSH_MAILER_DIR,
	A=SSH_MAILER_ARGS
