divert(-1)
dnl p_tls.m4 -- AUTH and STARTTLS policy rulesets called by the binary:
dnl trust_auth, srv_features, clt_features, try_tls, tls_rcpt, tls_client,
dnl tls_server (all via TLS_connection), authinfo, RelayTLS, and the
dnl rate/connection limits of FEATURE(ratecontrol)/FEATURE(conncontrol).
dnl Access map tags: TLS_Srv TLS_Clt TLS_Rcpt Try_TLS Srv_Features
dnl Clt_Features TLS_Srv_Features TLS_Clt_Features AuthInfo CERTISSUER
dnl CERTSUBJECT ClientRate ClientConn.
ifdef(`TLS_PERM_ERR',
	`define(`TLS_DSNCODE', `5.7.0')define(`TLS_ERRCODE', `554')',
	`define(`TLS_DSNCODE', `4.7.0')define(`TLS_ERRCODE', `454')')
define(`SW_MSG', `TLS handshake failed.')
define(`DANE_MSG', `DANE check failed.')
define(`PROT_MSG', `STARTTLS failed.')
define(`CNF_MSG', `STARTTLS temporarily not possible.')
dnl _CF_TLSFAIL_(verify-word, message): fixed failures of the handshake
define(`_CF_TLSFAIL_', `R`'$1 $| <$-:$+> $`'*		$`'#error $`'@ $`'2 $: $`'1 " $2"
R`'$1 $| $`'*		$`'#error $`'@ TLS_DSNCODE $: "TLS_ERRCODE $2"')
dnl _CF_TAGGED_(tag, name macro, addr macro, tempfail reply): the common
dnl lookup of tag:name, tag:addr, then tag: alone
define(`_CF_TAGGED_', `R$`'*		$: $>D <$&{$2}> <?> <! $1> <>
R<?>$`'*		$: $>A <$&{$3}> <?> <! $1> <>
R<?>$`'*		$: <$(access $1`'_TAG_DELIM_ $: ? $)>
R<?>$`'*		$`'@ OK
ifdef(`_ATMPF_', `R<$`'* _ATMPF_>$`'*	$4', `dnl')')
divert(0)dnl

###  trust_auth: may the AUTH user act for the AUTH= parameter?
SLocal_trust_auth
Strust_auth
R$*			$: $&{auth_type} $| $1
R$@ $| $*		$#error $@ 5.7.1 $: "550 not authenticated"
R$* $| $&{auth_authen}		$@ identical
R$* $| <$&{auth_authen}>	$@ identical
R$* $| $*		$: $1 $| $>"Local_trust_auth" $2
R$* $| $#$*		$#$2
R$*			$#error $@ 5.7.1 $: "550 " $&{auth_authen} " not allowed to act as " $&{auth_author}

###  Local_Relay_Auth: site hook, input ${auth_type}
SLocal_Relay_Auth

###  srv_features: features offered to a client
Ssrv_features
ifdef(`_LOCAL_SRV_FEATURES_', `dnl
R$*			$: $1 $| $>"Local_srv_features" $1
R$* $| $#$*		$#$2
R$* $| $*		$: $1', `dnl')
ifdef(`_ACCESS_TABLE_', `_CF_TAGGED_(SRV_FEAT_TAG, `client_name', `client_addr', `$`'#temp')
R<$+>$*		$# $1', `dnl')

###  clt_features: features used with a server
Sclt_features
ifdef(`_LOCAL_CLT_FEATURES_', `dnl
R$*			$: $1 $| $>"Local_clt_features" $1
R$* $| $#$*		$#$2
R$* $| $*		$: $1', `dnl')
ifdef(`_ACCESS_TABLE_', `_CF_TAGGED_(CLT_FEAT_TAG, `client_name', `client_addr', `$`'#temp')
R<$+>$*		$# $1', `dnl')

###  try_tls: use STARTTLS with this server?
Stry_tls
ifdef(`_LOCAL_TRY_TLS_', `dnl
R$*			$: $1 $| $>"Local_try_tls" $1
R$* $| $#$*		$#$2
R$* $| $*		$: $1', `dnl')
ifdef(`_ACCESS_TABLE_', `_CF_TAGGED_(TLS_TRY_TAG, `server_name', `server_addr', `$`'#error $`'@ 4.3.0 $: _TMPFMSG_(`TT')')
R<NO>$*		$#error $@ 5.7.1 $: "550 do not try TLS with " $&{server_name} " ["$&{server_addr}"]"', `dnl')

ifdef(`_MTA_STS_', `include(_CF_DIR_`m4/p_sts.m4')', `dnl')

###  tls_rcpt: is the connection good enough for this recipient?
Stls_rcpt
ifdef(`_LOCAL_TLS_RCPT_', `dnl
R$*			$: $1 $| $>"Local_tls_rcpt" $1
R$* $| $#$*		$#$2
R$* $| $*		$: $1', `dnl')
ifdef(`_MTA_STS_', `dnl
R$*			$: $1 $| $>"STS_Check" $1
R$* $| $#$*		$#$2
R$* $| $*		$: $1', `dnl')
ifdef(`_ACCESS_TABLE_', `dnl
R$*			$: $(macro {TLS_Name} $@ $&{server_name} $) $1
R$+			$: <?> $>CanonAddr $1
R<?> $+ < @ $+ . >	<?> $1 <@ $2 >
R<?> $+ < @ $+ >	$: $1 <@ $2 > $| <F:$1@$2> <U:$1@> <D:$2> <E:>
R<?> $+			$: $1 $| <U:$1@> <E:>
R$* $| $+	$: $1 $| $>SearchList <! TLS_RCPT_TAG> $| $2 <>
R$* $| <?>	$@ OK
ifdef(`_ATMPF_', `R$* $| <$* _ATMPF_>	$#error $@ 4.3.0 $: _TMPFMSG_(`TR')', `dnl')
R$* $| <$+>	$@ $>"TLS_connection" $&{verify} $| <$2>', `dnl')

###  tls_client: is the client connection good enough? ${verify} $| MAIL|STARTTLS
Stls_client
ifdef(`_LOCAL_TLS_CLIENT_', `dnl
R$*			$: $1 <?> $>"Local_tls_client" $1
R$* <?> $#$*		$#$2
R$* <?> $*		$: $1', `dnl')
ifdef(`_ACCESS_TABLE_', `dnl
R$*		$: $(macro {TLS_Name} $@ $&{client_name} $) $1
R$* $| $*	$: $1 $| $>D <$&{client_name}> <?> <! TLS_CLT_TAG> <>
R$* $| <?>$*	$: $1 $| $>A <$&{client_addr}> <?> <! TLS_CLT_TAG> <>
R$* $| <?>$*	$: $1 $| <$(access TLS_CLT_TAG`'_TAG_DELIM_ $: ? $)>
ifdef(`_ATMPF_', `R$* $| <$* _ATMPF_>	$#error $@ 4.3.0 $: _TMPFMSG_(`TC')', `dnl')
R$*		$@ $>"TLS_connection" $1', `dnl
R$* $| $*	$@ $>"TLS_connection" $1')

###  tls_server: is the server connection good enough? ${verify}
Stls_server
ifdef(`_LOCAL_TLS_SERVER_', `dnl
R$*			$: $1 $| $>"Local_tls_server" $1
R$* $| $#$*		$#$2
R$* $| $*		$: $1', `dnl')
ifdef(`_TLS_FAILURES_', `dnl
R$*		$: $(macro {saved_verify} $@ $1 $) $1', `dnl')
ifdef(`_MTA_STS_', `dnl
R$*			$: $1 $| $>"STS_secure" $1
R$* $| $#$*		$#$2
R$* $| $*		$: $1', `dnl')
ifdef(`_ACCESS_TABLE_', `dnl
R$*		$: $(macro {TLS_Name} $@ $&{server_name} $) $1
R$*		$: $1 $| $>D <$&{server_name}> <?> <! TLS_SRV_TAG> <>
R$* $| <?>$*	$: $1 $| $>A <$&{server_addr}> <?> <! TLS_SRV_TAG> <>
R$* $| <?>$*	$: $1 $| <$(access TLS_SRV_TAG`'_TAG_DELIM_ $: ? $)>
ifdef(`_ATMPF_', `R$* $| <$* _ATMPF_>	$#error $@ 4.3.0 $: _TMPFMSG_(`TS')', `dnl')
R$*		$@ $>"TLS_connection" $1', `dnl
R$*		$@ $>"TLS_connection" $1')

###  TLS_connection: ${verify} $| <requirement>; requirement is
###  [PERM+|TEMP+] VERIFY[:bits] | ENCR:bits [+ extensions]
STLS_connection
ifdef(`_FULL_TLS_CONNECTION_CHECK_', `include(_CF_DIR_`m4/p_tlsconn.m4')', `dnl
RSOFTWARE	$#error $@ TLS_DSNCODE $: "TLS_ERRCODE SW_MSG"
RDANE_FAIL	$#error $@ TLS_DSNCODE $: "TLS_ERRCODE DANE_MSG"
RPROTOCOL	$#error $@ TLS_DSNCODE $: "TLS_ERRCODE PROT_MSG"
RCONFIG		$#error $@ TLS_DSNCODE $: "TLS_ERRCODE CNF_MSG"')

ifdef(`_MTA_STS_', `include(_CF_DIR_`m4/p_sni.m4')', `dnl')
ifdef(`_TLS_SESSION_FEATURES_', `dnl
define(`_NEED_TLS_CLT_FEATURES')dnl
###  tls_srv_features: TLS_Srv_Features: entries for the client
Stls_srv_features
ifdef(`_ACCESS_TABLE_', `dnl
R$* $| $*		$: $>D <$1> <?> <! TLS_Srv_Features> <$2>
R<?> <$*>		$: $>A <$1> <?> <! TLS_Srv_Features> <$1>
R<?> <$*>		$@ ""
R<$+> <$*>		$@ $1', `dnl
R$*		$@ ""')', `ifdef(`_MTA_STS_', `define(`_NEED_TLS_CLT_FEATURES')')dnl')
ifdef(`_NEED_TLS_CLT_FEATURES', `include(_CF_DIR_`m4/p_tlsclt.m4')', `dnl')

###  RelayTLS: relay for a verified client certificate (CERTISSUER:, CERTSUBJECT:)
SRelayTLS
ifdef(`_ACCESS_TABLE_', `dnl
R$*			$: <?> $&{verify}
R<?> $={TlsVerified}	$: OK
R<?> $*			$@ NO
ifdef(`_CERT_REGEX_ISSUER_', `dnl
R$*			$: $(CERTIssuer $&{cert_issuer} $)', `dnl
R$*			$: $&{cert_issuer}')
R$+			$: $(access CERTISSUER`'_TAG_DELIM_`'$1 $)
RRELAY			$# RELAY
ifdef(`_CERT_REGEX_SUBJECT_', `dnl
RSUBJECT		$: <@> $(CERTSubject $&{cert_subject} $)', `dnl
RSUBJECT		$: <@> $&{cert_subject}')
R<@> $+			$: <@> $(access CERTSUBJECT`'_TAG_DELIM_`'$1 $)
R<@> RELAY		$# RELAY
R$*			$: NO', `dnl')

###  authinfo: client AUTH credentials for {server_name}/{server_addr}
Sauthinfo
ifdef(`_AUTHINFO_TABLE_', `dnl
R$*		$: <$(authinfo AuthInfo:$&{server_name} $: ? $)>
R<?>		$: <$(authinfo AuthInfo:$&{server_addr} $: ? $)>
R<?>		$: <$(authinfo AuthInfo: $: ? $)>
R<?>		$@ no
R<$*>		$# $1', `ifdef(`_ACCESS_TABLE_', `dnl
R$*		$: $1 $| $>D <$&{server_name}> <?> <! AuthInfo> <>
R$* $| <?>$*	$: $1 $| $>A <$&{server_addr}> <?> <! AuthInfo> <>
R$* $| <?>$*	$: $1 $| <$(access AuthInfo`'_TAG_DELIM_ $: ? $)> <>
R$* $| <?>$*	$@ no
R$* $| <$*> <>	$# $2', `dnl')')

ifdef(`_RATE_CONTROL_', `dnl
###  RateControl: ClientRate: limit for the client address
SRateControl
ifdef(`_ACCESS_TABLE_', `dnl
R$*		$: <A:$&{client_addr}> <E:>
R$+		$: $>SearchList <! ClientRate> $| $1 <>
R<?>		$@ OK
ifdef(`_ATMPF_', `R<$* _ATMPF_>	$#error $@ 4.3.0 $: _TMPFMSG_(`RC')', `dnl')
R<0>		$@ OK
R<$+>		$: <$1> $| $(arith l $@ $1 $@ $&{client_rate} $)
R<$+> $| TRUE	$#error $@ 4.3.2 $: _RATE_CONTROL_REPLY Connection rate limit exceeded.
', `dnl')', `dnl')

ifdef(`_CONN_CONTROL_', `dnl
###  ConnControl: ClientConn: limit for the client address
SConnControl
ifdef(`_ACCESS_TABLE_', `dnl
R$*		$: <A:$&{client_addr}> <E:>
R$+		$: $>SearchList <! ClientConn> $| $1 <>
R<?>		$@ OK
ifdef(`_ATMPF_', `R<$* _ATMPF_>	$#error $@ 4.3.0 $: _TMPFMSG_(`CC')', `dnl')
R<0>		$@ OK
R<$+>		$: <$1> $| $(arith l $@ $1 $@ $&{client_connections} $)
R<$+> $| TRUE	$#error $@ 4.3.2 $: _CONN_CONTROL_REPLY Too many open connections.
', `dnl')', `dnl')

