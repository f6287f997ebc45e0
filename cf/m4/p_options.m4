divert(-1)
dnl p_options.m4 -- the O lines. One row per option:
dnl	_OPTION(OptionName, define, binary default shown when unset)
dnl A set define writes "O Name=value"; an unset one writes "#O Name=default".
ifdef(`confAUTO_REBUILD', `errprint(WARNING: `confAUTO_REBUILD' is no longer valid.
	There was a potential for a denial of service attack if this is set.
)')
ifelse(defn(`confDAEMON_OPTIONS'), `', `',
	`errprint(WARNING: `confDAEMON_OPTIONS' is no longer valid.
	Use `DAEMON_OPTIONS()'; see cf/README.
)DAEMON_OPTIONS(defn(`confDAEMON_OPTIONS'))')
ifelse(defn(`confCLIENT_OPTIONS'), `', `',
	`errprint(WARNING: `confCLIENT_OPTIONS' is no longer valid.  See cf/README for more information.
)CLIENT_OPTIONS(defn(`confCLIENT_OPTIONS'))')
ifdef(`confUNSAFE_GROUP_WRITES',
	`errprint(`WARNING: confUNSAFE_GROUP_WRITES is deprecated; use confDONT_BLAME_SENDMAIL.
')')
divert(0)dnl

#####  options

# message content
_OPTION(SevenBitInput, `confSEVEN_BIT_INPUT', `False')
_OPTION(EightBitMode, `confEIGHT_BIT_HANDLING', `pass8')
_OPTION(AliasWait, `confALIAS_WAIT', `5m')
_OPTION(AliasFile, `ALIAS_FILE', `MAIL_SETTINGS_DIR`'aliases')
_OPTION(MinFreeBlocks, `confMIN_FREE_BLOCKS', `100')
_OPTION(MaxMessageSize, `confMAX_MESSAGE_SIZE', `0')
_OPTION(BlankSub, `confBLANK_SUB', `_')
_OPTION(HoldExpensive, `confCON_EXPENSIVE', `False')
_OPTION(CheckpointInterval, `confCHECKPOINT_INTERVAL', `10')
_OPTION(DeliveryMode, `confDELIVERY_MODE', `background')
_OPTION(ErrorHeader, `confERROR_MESSAGE', `MAIL_SETTINGS_DIR`'error-header')
_OPTION(ErrorMode, `confERROR_MODE', `print')
_OPTION(SaveFromLine, `confSAVE_FROM_LINES', `False')
_OPTION(QueueFileMode, `confQUEUE_FILE_MODE', `0600')
_OPTION(TempFileMode, `confTEMP_FILE_MODE', `0600')
_OPTION(MatchGECOS, `confMATCH_GECOS', `False')
_OPTION(MaxHopCount, `confMAX_HOP', `25')
O HelpFile=ifdef(`HELP_FILE', HELP_FILE, `MAIL_SETTINGS_DIR`'helpfile')
_OPTION(IgnoreDots, `confIGNORE_DOTS', `False')
_OPTION(ResolverOptions, `confBIND_OPTS', `+AAONLY')
_OPTION(SendMimeErrors, `confMIME_FORMAT_ERRORS', `True')
_OPTION(ForwardPath, `confFORWARD_PATH', `/var/forward/$u:$z/.forward.$w:$z/.forward')
_OPTION(ConnectionCacheSize, `confMCI_CACHE_SIZE', `2')
_OPTION(ConnectionCacheTimeout, `confMCI_CACHE_TIMEOUT', `5m')
_OPTION(HostStatusDirectory, `confHOST_STATUS_DIRECTORY', `.hoststat')
_OPTION(SingleThreadDelivery, `confSINGLE_THREAD_DELIVERY', `False')
_OPTION(UseErrorsTo, `confUSE_ERRORS_TO', `False')
_OPTION(UseCompressedIPv6Addresses, `confUSE_COMPRESSED_IPV6_ADDRESSES', `')
_OPTION(LogLevel, `confLOG_LEVEL', `10')
_OPTION(MeToo, `confME_TOO', `True')
_OPTION(CheckAliases, `confCHECK_ALIASES', `False')
_OPTION(OldStyleHeaders, `confOLD_STYLE_HEADERS', `False')

# listeners (a listener given in the .mc replaces the default MTA one)
ifelse(defn(`_DPO_'), `',
`ifdef(`_NETINET6_', `O DaemonPortOptions=Name=MTA-v4, Family=inet
O DaemonPortOptions=Name=MTA-v6, Family=inet6', `O DaemonPortOptions=Name=MTA')', `_DPO_')
ifdef(`_NO_MSA_', `dnl', `O DaemonPortOptions=Port=587, Name=MSA, M=E')

# outgoing connections
ifelse(defn(`_CPO_'), `', `#O ClientPortOptions=Family=inet, Address=0.0.0.0', `_CPO_')

_OPTION(DirectSubmissionModifiers, `confDIRECT_SUBMISSION_MODIFIERS', `')
_OPTION(UseMSP, `confUSE_MSP', `')
_OPTION(PrivacyOptions, `confPRIVACY_FLAGS', `authwarnings')
_OPTION(PostmasterCopy, `confCOPY_ERRORS_TO', `Postmaster')

# queue
_OPTION(QueueFactor, `confQUEUE_FACTOR', `600000')
_OPTION(MaxQueueChildren, `confMAX_QUEUE_CHILDREN', `')
_OPTION(MaxRunnersPerQueue, `confMAX_RUNNERS_PER_QUEUE', `1')
_OPTION(NiceQueueRun, `confNICE_QUEUE_RUN', `')
_OPTION(QueueSortOrder, `confQUEUE_SORT_ORDER', `priority')
_OPTION(MinQueueAge, `confMIN_QUEUE_AGE', `30m')
_OPTION(MaxQueueAge, `confMAX_QUEUE_AGE', `')
_OPTION(MaxQueueRunSize, `confMAX_QUEUE_RUN_SIZE', `0')
_OPTION(FastSplit, `confFAST_SPLIT', `1')
O QueueDirectory=ifdef(`QUEUE_DIR', QUEUE_DIR, `/var/spool/mqueue')
_OPTION(SharedMemoryKey, `confSHARED_MEMORY_KEY', `0')
_OPTION(SharedMemoryKeyFile, `confSHARED_MEMORY_KEY_FILE', `')

# timeouts
_OPTION(Timeout.initial, `confTO_INITIAL', `5m')
_OPTION(Timeout.connect, `confTO_CONNECT', `5m')
_OPTION(Timeout.aconnect, `confTO_ACONNECT', `0s')
_OPTION(Timeout.iconnect, `confTO_ICONNECT', `5m')
_OPTION(Timeout.helo, `confTO_HELO', `5m')
_OPTION(Timeout.mail, `confTO_MAIL', `10m')
_OPTION(Timeout.rcpt, `confTO_RCPT', `1h')
_OPTION(Timeout.datainit, `confTO_DATAINIT', `5m')
_OPTION(Timeout.datablock, `confTO_DATABLOCK', `1h')
_OPTION(Timeout.datafinal, `confTO_DATAFINAL', `1h')
_OPTION(Timeout.rset, `confTO_RSET', `5m')
_OPTION(Timeout.quit, `confTO_QUIT', `2m')
_OPTION(Timeout.misc, `confTO_MISC', `2m')
_OPTION(Timeout.command, `confTO_COMMAND', `1h')
_OPTION(Timeout.ident, `confTO_IDENT', `5s')
_OPTION(Timeout.fileopen, `confTO_FILEOPEN', `60s')
_OPTION(Timeout.control, `confTO_CONTROL', `2m')
_OPTION(Timeout.queuereturn, `confTO_QUEUERETURN', `5d')
_OPTION(Timeout.queuereturn.normal, `confTO_QUEUERETURN_NORMAL', `5d')
_OPTION(Timeout.queuereturn.urgent, `confTO_QUEUERETURN_URGENT', `2d')
_OPTION(Timeout.queuereturn.non-urgent, `confTO_QUEUERETURN_NONURGENT', `7d')
_OPTION(Timeout.queuereturn.dsn, `confTO_QUEUERETURN_DSN', `5d')
_OPTION(Timeout.queuewarn, `confTO_QUEUEWARN', `4h')
_OPTION(Timeout.queuewarn.normal, `confTO_QUEUEWARN_NORMAL', `4h')
_OPTION(Timeout.queuewarn.urgent, `confTO_QUEUEWARN_URGENT', `1h')
_OPTION(Timeout.queuewarn.non-urgent, `confTO_QUEUEWARN_NONURGENT', `12h')
_OPTION(Timeout.queuewarn.dsn, `confTO_QUEUEWARN_DSN', `4h')
_OPTION(Timeout.hoststatus, `confTO_HOSTSTATUS', `30m')
_OPTION(Timeout.resolver.retrans, `confTO_RESOLVER_RETRANS', `5s')
_OPTION(Timeout.resolver.retrans.first, `confTO_RESOLVER_RETRANS_FIRST', `5s')
_OPTION(Timeout.resolver.retrans.normal, `confTO_RESOLVER_RETRANS_NORMAL', `5s')
_OPTION(Timeout.resolver.retry, `confTO_RESOLVER_RETRY', `4')
_OPTION(Timeout.resolver.retry.first, `confTO_RESOLVER_RETRY_FIRST', `4')
_OPTION(Timeout.resolver.retry.normal, `confTO_RESOLVER_RETRY_NORMAL', `4')
_OPTION(Timeout.lhlo, `confTO_LHLO', `2m')
_OPTION(Timeout.auth, `confTO_AUTH', `10m')
_OPTION(Timeout.starttls, `confTO_STARTTLS', `1h')

_OPTION(DeliverByMin, `confDELIVER_BY_MIN', `0')
_OPTION(DontPruneRoutes, `confDONT_PRUNE_ROUTES', `False')
_OPTION(SuperSafe, `confSAFE_QUEUE', `True')
_OPTION(StatusFile, `STATUS_FILE')

# time zone: USE_SYSTEM (default), USE_TZ (pass $TZ) or a TZ value
ifelse(confTIME_ZONE, `USE_SYSTEM', `#O TimeZoneSpec=',
	confTIME_ZONE, `USE_TZ', `O TimeZoneSpec=',
	`O TimeZoneSpec=confTIME_ZONE')

_OPTION(DefaultUser, `confDEF_USER_ID', `mailnull')
_OPTION(UserDatabaseSpec, `confUSERDB_SPEC', `MAIL_SETTINGS_DIR`'userdb')
_OPTION(FallbackMXhost, `confFALLBACK_MX', `fall.back.host.net')
_OPTION(FallbackSmartHost, `confFALLBACK_SMARTHOST', `fall.back.host.net')
_OPTION(TryNullMXList, `confTRY_NULL_MX_LIST', `False')

# load and concurrency limits
_OPTION(QueueLA, `confQUEUE_LA', `8')
_OPTION(RefuseLA, `confREFUSE_LA', `12')
_OPTION(RejectLogInterval, `confREJECT_LOG_INTERVAL', `3h')
_OPTION(DelayLA, `confDELAY_LA', `0')
_OPTION(MaxDaemonChildren, `confMAX_DAEMON_CHILDREN', `0')
_OPTION(ConnectionRateThrottle, `confCONNECTION_RATE_THROTTLE', `0')
_OPTION(ConnectionRateWindowSize, `confCONNECTION_RATE_WINDOW_SIZE', `60s')
_OPTION(RecipientFactor, `confWORK_RECIPIENT_FACTOR', `30000')
_OPTION(ForkEachJob, `confSEPARATE_PROC', `False')
_OPTION(ClassFactor, `confWORK_CLASS_FACTOR', `1800')
_OPTION(RetryFactor, `confWORK_TIME_FACTOR', `90000')

_OPTION(DefaultCharSet, `confDEF_CHAR_SET', `unknown-8bit')
_OPTION(ServiceSwitchFile, `confSERVICE_SWITCH_FILE', `MAIL_SETTINGS_DIR`'service.switch')
_OPTION(HostsFile, `confHOSTS_FILE', `/etc/hosts')
_OPTION(DialDelay, `confDIAL_DELAY', `0s')
_OPTION(NoRecipientAction, `confNO_RCPT_ACTION', `none')
_OPTION(SafeFileEnvironment, `confSAFE_FILE_ENV', `')
_OPTION(ColonOkInAddr, `confCOLON_OK_IN_ADDR', `True')
_OPTION(DontExpandCnames, `confDONT_EXPAND_CNAMES', `False')
_OPTION(SmtpGreetingMessage, `confSMTP_LOGIN_MSG', `$j Sendmail $v ready at $b')
_OPTION(UnixFromLine, `confFROM_LINE', `From $g $d')
_OPTION(SingleLineFromHeader, `confSINGLE_LINE_FROM_HEADER', `False')
_OPTION(AllowBogusHELO, `confALLOW_BOGUS_HELO', `False')
_OPTION(MustQuoteChars, `confMUST_QUOTE_CHARS', `.')
_OPTION(OperatorChars, `confOPERATORS', `.:@[]')
_OPTION(DontInitGroups, `confDONT_INIT_GROUPS', `False')
_OPTION(UnsafeGroupWrites, `confUNSAFE_GROUP_WRITES', `True')
_OPTION(DoubleBounceAddress, `confDOUBLE_BOUNCE_ADDRESS', `postmaster')
_OPTION(SoftBounce, `confSOFT_BOUNCE', `False')
_OPTION(DeadLetterDrop, `confDEAD_LETTER_DROP', `/var/tmp/dead.letter')
_OPTION(RunAsUser, `confRUN_AS_USER', `sendmail')
_OPTION(MaxRecipientsPerMessage, `confMAX_RCPTS_PER_MESSAGE', `0')
_OPTION(BadRcptThrottle, `confBAD_RCPT_THROTTLE', `0')
_OPTION(DontProbeInterfaces, `confDONT_PROBE_INTERFACES', `False')
_OPTION(RrtImpliesDsn, `confRRT_IMPLIES_DSN', `False')
_OPTION(ConnectOnlyTo, `confCONNECT_ONLY_TO', `0.0.0.0')
_OPTION(TrustedUser, `confTRUSTED_USER', `root')
_OPTION(ControlSocketName, `confCONTROL_SOCKET_NAME', `/var/spool/mqueue/.control')
_OPTION(MaxMimeHeaderLength, `confMAX_MIME_HEADER_LENGTH', `0/0')
_OPTION(MaxHeadersLength, `confMAX_HEADERS_LENGTH', `32768')
_OPTION(MaxAliasRecursion, `confMAX_ALIAS_RECURSION', `10')
_OPTION(PidFile, `confPID_FILE', `/var/run/sendmail.pid')
_OPTION(ProcessTitlePrefix, `confPROCESS_TITLE_PREFIX', `prefix')
_OPTION(DataFileBufferSize, `confDF_BUFFER_SIZE', `4096')
_OPTION(XscriptFileBufferSize, `confXF_BUFFER_SIZE', `4096')
_OPTION(MailboxDatabase, `confMAILBOX_DATABASE', `pw')
_OPTION(RequiresDirfsync, `confREQUIRES_DIR_FSYNC', `true')

# SMTP AUTH
_OPTION(AuthMechanisms, `confAUTH_MECHANISMS', `EXTERNAL GSSAPI KERBEROS_V4 DIGEST-MD5 CRAM-MD5')
_OPTION(AuthRealm, `confAUTH_REALM', `')
_OPTION(DefaultAuthInfo, `confDEF_AUTH_INFO', `MAIL_SETTINGS_DIR`'default-auth-info')
_OPTION(AuthOptions, `confAUTH_OPTIONS', `')
_OPTION(AuthMaxBits, `confAUTH_MAX_BITS', `')

# STARTTLS
_OPTION(TLSSrvOptions, `confTLS_SRV_OPTIONS', `')
_OPTION(CipherList, `confCIPHER_LIST', `')
_OPTION(ServerSSLOptions, `confSERVER_SSL_OPTIONS', `')
_OPTION(ClientSSLOptions, `confCLIENT_SSL_OPTIONS', `')
_OPTION(SSLEngine, `confSSL_ENGINE', `')
_OPTION(SSLEnginePath, `confSSL_ENGINE_PATH', `')
_OPTION(TLSFallbacktoClear, `confTLS_FALLBACK_TO_CLEAR', `')

# milters
_OPTION(InputMailFilters, `confINPUT_MAIL_FILTERS', `')
ifelse(defn(`_MAIL_FILTERS_DEF'), `', `dnl', `dnl
_OPTION(Milter.LogLevel, `confMILTER_LOG_LEVEL', `')
_OPTION(Milter.macros.connect, `confMILTER_MACROS_CONNECT', `')
_OPTION(Milter.macros.helo, `confMILTER_MACROS_HELO', `')
_OPTION(Milter.macros.envfrom, `confMILTER_MACROS_ENVFROM', `')
_OPTION(Milter.macros.envrcpt, `confMILTER_MACROS_ENVRCPT', `')
_OPTION(Milter.macros.eom, `confMILTER_MACROS_EOM', `')
_OPTION(Milter.macros.eoh, `confMILTER_MACROS_EOH', `')
_OPTION(Milter.macros.data, `confMILTER_MACROS_DATA', `')')

# certificates and keys
_OPTION(CACertPath, `confCACERT_PATH', `')
_OPTION(CACertFile, `confCACERT', `')
_OPTION(ServerCertFile, `confSERVER_CERT', `')
_OPTION(ServerKeyFile, `confSERVER_KEY', `')
_OPTION(ClientCertFile, `confCLIENT_CERT', `')
_OPTION(ClientKeyFile, `confCLIENT_KEY', `')
_OPTION(CRLFile, `confCRL', `')
_OPTION(CRLPath, `confCRL_PATH', `')
_OPTION(DHParameters, `confDH_PARAMETERS', `')
_OPTION(RandFile, `confRAND_FILE', `')
_OPTION(CertFingerprintAlgorithm, `confCERT_FINGERPRINT_ALGORITHM', `')
_OPTION(DANE, `confDANE', `false')

_OPTION(MaxNOOPCommands, `confMAX_NOOP_COMMANDS', `20')
_OPTION(HeloName, `confHELO_NAME')
_OPTION(RejectNUL, `confREJECT_NUL', `false')

ifdef(`_NEED_SMTPOPMODES_', `# SMTP operation modes
C{SMTPOpModes} s d D')
