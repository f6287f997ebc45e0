/*
 * cf/options: the O-line options, one row per option.
 *
 * OPTION_TABLE lists every option of Sendmail 8.17 in the order of its
 * own table (that order decides which two names an "ambiguous option
 * name" message quotes): the id we use, the long name, the legacy
 * single-character name (0 if none), the value type, and the built-in
 * default (NULL: unset).  options.c turns the rows into the lookup table
 * and the setters; documentation and dumps come from the same rows.
 *
 * Values are kept twice: as written (opt_raw: the text after '=', macro
 * references kept, as Sendmail stores e.g. SmtpGreetingMessage) and typed
 * (opt_bool/opt_num/opt_str).  Times are in seconds, sizes in bytes,
 * modes as numbers; OT_TIME rows carry their default unit in the type.
 * Timeout.<sub> values live in their own table (opt_timeout).
 *
 * Callers: the cf reader (O lines), main.c (-o/-O flags), and any module
 * that needs an option's value.
 */
#ifndef CF_OPTIONS_H
#define CF_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

struct config;

enum opt_type {
	OT_BOOL,    /* t/T/y/Y (or empty) = true */
	OT_INT,     /* decimal integer (atoi semantics) */
	OT_LONG,    /* decimal long (sizes) */
	OT_TIME_S,  /* time, default unit seconds */
	OT_TIME_M,  /* time, default unit minutes */
	OT_STR,     /* string as written */
	OT_CHAR,    /* first character */
	OT_MODE,    /* octal file mode */
};

/* X(id, "LongName", 'c', type, "default") */
#define OPTION_TABLE(X)                                                                         \
	X(SEVEN_BIT_INPUT, "SevenBitInput", '7', OT_BOOL, "False")                             \
	X(EIGHT_BIT_MODE, "EightBitMode", '8', OT_CHAR, "p")                                   \
	X(ALIAS_FILE, "AliasFile", 'A', OT_STR, NULL)                                          \
	X(ALIAS_WAIT, "AliasWait", 'a', OT_TIME_M, NULL)                                       \
	X(BLANK_SUB, "BlankSub", 'B', OT_CHAR, " ")                                            \
	X(MIN_FREE_BLOCKS, "MinFreeBlocks", 'b', OT_LONG, "100")                               \
	X(CHECKPOINT_INTERVAL, "CheckpointInterval", 'C', OT_INT, "10")                        \
	X(HOLD_EXPENSIVE, "HoldExpensive", 'c', OT_BOOL, "False")                              \
	X(DELIVERY_MODE, "DeliveryMode", 'd', OT_CHAR, "b")                                    \
	X(ERROR_HEADER, "ErrorHeader", 'E', OT_STR, NULL)                                      \
	X(ERROR_MODE, "ErrorMode", 'e', OT_CHAR, "p")                                          \
	X(TEMP_FILE_MODE, "TempFileMode", 'F', OT_MODE, "0600")                                \
	X(SAVE_FROM_LINE, "SaveFromLine", 'f', OT_BOOL, "False")                               \
	X(MATCH_GECOS, "MatchGECOS", 'G', OT_BOOL, "False")                                    \
	X(HELP_FILE, "HelpFile", 'H', OT_STR, "helpfile")                                      \
	X(MAX_HOP_COUNT, "MaxHopCount", 'h', OT_INT, "25")                                     \
	X(RESOLVER_OPTIONS, "ResolverOptions", 'I', OT_STR, NULL)                              \
	X(IGNORE_DOTS, "IgnoreDots", 'i', OT_BOOL, "False")                                    \
	X(FORWARD_PATH, "ForwardPath", 'J', OT_STR, "$z/.forward")                             \
	X(SEND_MIME_ERRORS, "SendMimeErrors", 'j', OT_BOOL, "True")                            \
	X(CONNECTION_CACHE_SIZE, "ConnectionCacheSize", 'k', OT_INT, "1")                      \
	X(CONNECTION_CACHE_TIMEOUT, "ConnectionCacheTimeout", 'K', OT_TIME_S, "5m")            \
	X(USE_ERRORS_TO, "UseErrorsTo", 'l', OT_BOOL, "False")                                 \
	X(LOG_LEVEL, "LogLevel", 'L', OT_INT, "9")                                             \
	X(ME_TOO, "MeToo", 'm', OT_BOOL, "True")                                               \
	X(CHECK_ALIASES, "CheckAliases", 'n', OT_BOOL, "False")                                \
	X(OLD_STYLE_HEADERS, "OldStyleHeaders", 'o', OT_BOOL, "False")                         \
	X(DAEMON_PORT_OPTIONS, "DaemonPortOptions", 'O', OT_STR, NULL)                         \
	X(PRIVACY_OPTIONS, "PrivacyOptions", 'p', OT_STR, "public")                            \
	X(POSTMASTER_COPY, "PostmasterCopy", 'P', OT_STR, NULL)                                \
	X(QUEUE_FACTOR, "QueueFactor", 'q', OT_LONG, "600000")                                 \
	X(QUEUE_DIRECTORY, "QueueDirectory", 'Q', OT_STR, NULL)                                \
	X(DONT_PRUNE_ROUTES, "DontPruneRoutes", 'R', OT_BOOL, "False")                         \
	X(STATUS_FILE, "StatusFile", 'S', OT_STR, NULL)                                        \
	X(SUPER_SAFE, "SuperSafe", 's', OT_STR, "True")                                        \
	X(QUEUE_TIMEOUT, "QueueTimeout", 'T', OT_STR, NULL)                                    \
	X(TIMEOUT, "Timeout", 'r', OT_STR, NULL)                                               \
	X(TIME_ZONE_SPEC, "TimeZoneSpec", 't', OT_STR, NULL)                                   \
	X(USER_DATABASE_SPEC, "UserDatabaseSpec", 'U', OT_STR, NULL)                           \
	X(DEFAULT_USER, "DefaultUser", 'u', OT_STR, "1:1")                                     \
	X(FALLBACK_MX_HOST, "FallbackMXhost", 'V', OT_STR, NULL)                               \
	X(VERBOSE, "Verbose", 'v', OT_BOOL, "False")                                           \
	X(TRY_NULL_MX_LIST, "TryNullMXList", 'w', OT_BOOL, "False")                            \
	X(QUEUE_LA, "QueueLA", 'x', OT_INT, NULL)                                              \
	X(REFUSE_LA, "RefuseLA", 'X', OT_INT, NULL)                                            \
	X(RECIPIENT_FACTOR, "RecipientFactor", 'y', OT_LONG, "30000")                          \
	X(FORK_EACH_JOB, "ForkEachJob", 'Y', OT_BOOL, "False")                                 \
	X(CLASS_FACTOR, "ClassFactor", 'z', OT_LONG, "1800")                                   \
	X(RETRY_FACTOR, "RetryFactor", 'Z', OT_LONG, "90000")                                  \
	X(QUEUE_SORT_ORDER, "QueueSortOrder", 0, OT_STR, "priority")                           \
	X(HOSTS_FILE, "HostsFile", 0, OT_STR, "/etc/hosts")                                    \
	X(MIN_QUEUE_AGE, "MinQueueAge", 0, OT_TIME_M, "0")                                     \
	X(DEFAULT_CHAR_SET, "DefaultCharSet", 0, OT_STR, "unknown-8bit")                       \
	X(SERVICE_SWITCH_FILE, "ServiceSwitchFile", 0, OT_STR, "/etc/mail/service.switch")     \
	X(DIAL_DELAY, "DialDelay", 0, OT_TIME_S, "0")                                          \
	X(NO_RECIPIENT_ACTION, "NoRecipientAction", 0, OT_STR, "none")                         \
	X(SAFE_FILE_ENVIRONMENT, "SafeFileEnvironment", 0, OT_STR, NULL)                       \
	X(MAX_MESSAGE_SIZE, "MaxMessageSize", 0, OT_LONG, "0")                                 \
	X(COLON_OK_IN_ADDR, "ColonOkInAddr", 0, OT_BOOL, NULL)                                 \
	X(MAX_QUEUE_RUN_SIZE, "MaxQueueRunSize", 0, OT_INT, "0")                               \
	X(MAX_DAEMON_CHILDREN, "MaxDaemonChildren", 0, OT_INT, "0")                            \
	X(DONT_EXPAND_CNAMES, "DontExpandCnames", 0, OT_BOOL, "False")                         \
	X(MUST_QUOTE_CHARS, "MustQuoteChars", 0, OT_STR, ".'")                                 \
	X(SMTP_GREETING_MESSAGE, "SmtpGreetingMessage", 0, OT_STR, "$j Sendmail $v ready at $b") \
	X(UNIX_FROM_LINE, "UnixFromLine", 0, OT_STR, "From $g $d")                             \
	X(OPERATOR_CHARS, "OperatorChars", 0, OT_STR, ".:@[]")                                 \
	X(DONT_INIT_GROUPS, "DontInitGroups", 0, OT_BOOL, "False")                             \
	X(SINGLE_LINE_FROM_HEADER, "SingleLineFromHeader", 0, OT_BOOL, "False")                \
	X(ALLOW_BOGUS_HELO, "AllowBogusHELO", 0, OT_BOOL, "False")                             \
	X(CONNECTION_RATE_THROTTLE, "ConnectionRateThrottle", 0, OT_INT, "0")                  \
	X(UNSAFE_GROUP_WRITES, "UnsafeGroupWrites", 0, OT_BOOL, "True")                        \
	X(DOUBLE_BOUNCE_ADDRESS, "DoubleBounceAddress", 0, OT_STR, "postmaster")               \
	X(HOST_STATUS_DIRECTORY, "HostStatusDirectory", 0, OT_STR, NULL)                       \
	X(SINGLE_THREAD_DELIVERY, "SingleThreadDelivery", 0, OT_BOOL, "False")                 \
	X(RUN_AS_USER, "RunAsUser", 0, OT_STR, NULL)                                           \
	X(RRT_IMPLIES_DSN, "RrtImpliesDsn", 0, OT_BOOL, "False")                               \
	X(PID_FILE, "PidFile", 0, OT_STR, "/var/run/sendmail/mta/sendmail.pid")                \
	X(DONT_BLAME_SENDMAIL, "DontBlameSendmail", 0, OT_STR, "safe")                         \
	X(DONT_PROBE_INTERFACES, "DontProbeInterfaces", 0, OT_BOOL, "False")                    \
	X(MAX_RECIPIENTS_PER_MESSAGE, "MaxRecipientsPerMessage", 0, OT_INT, "0")               \
	X(DEAD_LETTER_DROP, "DeadLetterDrop", 0, OT_STR, NULL)                                 \
	X(MAX_ALIAS_RECURSION, "MaxAliasRecursion", 0, OT_INT, "10")                           \
	X(CONNECT_ONLY_TO, "ConnectOnlyTo", 0, OT_STR, NULL)                                   \
	X(TRUSTED_USER, "TrustedUser", 0, OT_STR, NULL)                                        \
	X(MAX_MIME_HEADER_LENGTH, "MaxMimeHeaderLength", 0, OT_STR, "2048/1024")               \
	X(CONTROL_SOCKET_NAME, "ControlSocketName", 0, OT_STR, NULL)                           \
	X(MAX_HEADERS_LENGTH, "MaxHeadersLength", 0, OT_INT, "32768")                          \
	X(PROCESS_TITLE_PREFIX, "ProcessTitlePrefix", 0, OT_STR, NULL)                         \
	X(DEFAULT_AUTH_INFO, "DefaultAuthInfo", 0, OT_STR, NULL)                               \
	X(AUTH_MECHANISMS, "AuthMechanisms", 0, OT_STR, NULL)                                  \
	X(CLIENT_PORT_OPTIONS, "ClientPortOptions", 0, OT_STR, NULL)                           \
	X(DATA_FILE_BUFFER_SIZE, "DataFileBufferSize", 0, OT_LONG, "4096")                     \
	X(XSCRIPT_FILE_BUFFER_SIZE, "XscriptFileBufferSize", 0, OT_LONG, "4096")               \
	X(LDAP_DEFAULT_SPEC, "LDAPDefaultSpec", 0, OT_STR, NULL)                               \
	X(SERVER_CERT_FILE, "ServerCertFile", 0, OT_STR, NULL)                                 \
	X(SERVER_KEY_FILE, "ServerKeyFile", 0, OT_STR, NULL)                                   \
	X(CLIENT_CERT_FILE, "ClientCertFile", 0, OT_STR, NULL)                                 \
	X(CLIENT_KEY_FILE, "ClientKeyFile", 0, OT_STR, NULL)                                   \
	X(CA_CERT_FILE, "CACertFile", 0, OT_STR, NULL)                                         \
	X(CA_CERT_PATH, "CACertPath", 0, OT_STR, NULL)                                         \
	X(DH_PARAMETERS, "DHParameters", 0, OT_STR, "i")                                       \
	X(INPUT_MAIL_FILTERS, "InputMailFilters", 0, OT_STR, NULL)                             \
	X(MILTER, "Milter", 0, OT_STR, NULL)                                                   \
	X(AUTH_OPTIONS, "AuthOptions", 0, OT_STR, NULL)                                        \
	X(QUEUE_FILE_MODE, "QueueFileMode", 0, OT_MODE, "0600")                                \
	X(CERT_FINGERPRINT_ALGORITHM, "CertFingerprintAlgorithm", 0, OT_STR, NULL)             \
	X(CIPHER_LIST, "CipherList", 0, OT_STR, NULL)                                          \
	X(RAND_FILE, "RandFile", 0, OT_STR, NULL)                                              \
	X(TLS_SRV_OPTIONS, "TLSSrvOptions", 0, OT_STR, NULL)                                   \
	X(BAD_RCPT_THROTTLE, "BadRcptThrottle", 0, OT_INT, "0")                                \
	X(DELIVER_BY_MIN, "DeliverByMin", 0, OT_TIME_S, "0")                                   \
	X(MAX_QUEUE_CHILDREN, "MaxQueueChildren", 0, OT_INT, NULL)                             \
	X(MAX_RUNNERS_PER_QUEUE, "MaxRunnersPerQueue", 0, OT_INT, "1")                         \
	X(DIRECT_SUBMISSION_MODIFIERS, "DirectSubmissionModifiers", 0, OT_STR, NULL)           \
	X(NICE_QUEUE_RUN, "NiceQueueRun", 0, OT_INT, NULL)                                     \
	X(SHARED_MEMORY_KEY, "SharedMemoryKey", 0, OT_LONG, "0")                               \
	X(AUTH_MAX_BITS, "AuthMaxBits", 0, OT_INT, "2147483647")                               \
	X(MAILBOX_DATABASE, "MailboxDatabase", 0, OT_STR, "pw")                                \
	X(USE_MSP, "UseMSP", 0, OT_BOOL, "False")                                              \
	X(DELAY_LA, "DelayLA", 0, OT_INT, "0")                                                 \
	X(FAST_SPLIT, "FastSplit", 0, OT_INT, "1")                                             \
	X(SOFT_BOUNCE, "SoftBounce", 0, OT_BOOL, "False")                                      \
	X(SHARED_MEMORY_KEY_FILE, "SharedMemoryKeyFile", 0, OT_STR, NULL)                      \
	X(REJECT_LOG_INTERVAL, "RejectLogInterval", 0, OT_TIME_S, "3h")                        \
	X(REQUIRES_DIRFSYNC, "RequiresDirfsync", 0, OT_BOOL, "True")                           \
	X(CONNECTION_RATE_WINDOW_SIZE, "ConnectionRateWindowSize", 0, OT_TIME_S, "60")         \
	X(CRL_FILE, "CRLFile", 0, OT_STR, NULL)                                                \
	X(FALLBACK_SMART_HOST, "FallbackSmartHost", 0, OT_STR, NULL)                           \
	X(AUTH_REALM, "AuthRealm", 0, OT_STR, NULL)                                            \
	X(CRL_PATH, "CRLPath", 0, OT_STR, NULL)                                                \
	X(HELO_NAME, "HeloName", 0, OT_STR, NULL)                                              \
	X(MAX_NOOP_COMMANDS, "MaxNOOPCommands", 0, OT_INT, "20")                               \
	X(BAD_RCPT_SHUTDOWN, "BadRcptShutdown", 0, OT_INT, "0")                                \
	X(BAD_RCPT_SHUTDOWN_GOOD, "BadRcptShutdownGood", 0, OT_INT, "0")                       \
	X(SERVER_SSL_OPTIONS, "ServerSSLOptions", 0, OT_STR, NULL)                             \
	X(CLIENT_SSL_OPTIONS, "ClientSSLOptions", 0, OT_STR, NULL)                             \
	X(MAX_QUEUE_AGE, "MaxQueueAge", 0, OT_TIME_S, "0")                                     \
	X(REJECT_NUL, "RejectNUL", 0, OT_BOOL, "False")                                        \
	X(USE_COMPRESSED_IPV6_ADDRESSES, "UseCompressedIPv6Addresses", 0, OT_BOOL, "False")    \
	X(SSL_ENGINE, "SSLEngine", 0, OT_STR, NULL)                                            \
	X(SSL_ENGINE_PATH, "SSLEnginePath", 0, OT_STR, NULL)                                   \
	X(TLS_FALLBACK_TO_CLEAR, "TLSFallbacktoClear", 0, OT_BOOL, "False")                    \
	X(SET_CERT_ALTNAMES, "SetCertAltnames", 0, OT_BOOL, "False")                           \
	X(SMTP_UTF8, "SmtpUTF8", 0, OT_BOOL, "False")                                          \
	X(STRICT_TRANSPORT_SECURITY, "StrictTransportSecurity", 0, OT_BOOL, "False")           \
	X(CIPHER_SUITES, "CipherSuites", 0, OT_STR, NULL)

#define OPT_ENUM(id, name, c, type, def) OPT_##id,
enum opt_id { OPTION_TABLE(OPT_ENUM) OPT_COUNT };
#undef OPT_ENUM

/* Timeout.<name> sub-options, in Sendmail's order. */
#define TIMEOUT_TABLE(X)                                                                        \
	X(TO_INITIAL, "initial", "5m") X(TO_CONNECT, "connect", "0")                            \
	X(TO_ICONNECT, "iconnect", NULL) X(TO_ACONNECT, "aconnect", "0")                        \
	X(TO_HELO, "helo", "5m") X(TO_MAIL, "mail", "10m") X(TO_RCPT, "rcpt", "1h")             \
	X(TO_DATAINIT, "datainit", "5m") X(TO_DATABLOCK, "datablock", "1h")                     \
	X(TO_DATAFINAL, "datafinal", "1h") X(TO_RSET, "rset", "5m") X(TO_QUIT, "quit", "2m")    \
	X(TO_MISC, "misc", "2m") X(TO_COMMAND, "command", "1h") X(TO_IDENT, "ident", "5s")      \
	X(TO_FILEOPEN, "fileopen", "60s") X(TO_CONTROL, "control", "2m")                        \
	X(TO_HOSTSTATUS, "hoststatus", "30m") X(TO_LHLO, "lhlo", "2m") X(TO_AUTH, "auth", "10m") \
	X(TO_STARTTLS, "starttls", "1h") X(TO_QUEUERETURN, "queuereturn", "5d")                 \
	X(TO_QUEUERETURN_URGENT, "queuereturn.urgent", "2d")                                    \
	X(TO_QUEUERETURN_NORMAL, "queuereturn.normal", "5d")                                    \
	X(TO_QUEUERETURN_NONURGENT, "queuereturn.non-urgent", "7d")                             \
	X(TO_QUEUERETURN_DSN, "queuereturn.dsn", "5d")                                          \
	X(TO_QUEUEWARN, "queuewarn", "4h") X(TO_QUEUEWARN_URGENT, "queuewarn.urgent", "1h")     \
	X(TO_QUEUEWARN_NORMAL, "queuewarn.normal", "4h")                                        \
	X(TO_QUEUEWARN_NONURGENT, "queuewarn.non-urgent", "12h")                                \
	X(TO_QUEUEWARN_DSN, "queuewarn.dsn", "4h")                                              \
	X(TO_RESOLVER_RETRANS, "resolver.retrans", NULL)                                        \
	X(TO_RESOLVER_RETRANS_FIRST, "resolver.retrans.first", NULL)                            \
	X(TO_RESOLVER_RETRANS_NORMAL, "resolver.retrans.normal", NULL)                          \
	X(TO_RESOLVER_RETRY, "resolver.retry", NULL)                                            \
	X(TO_RESOLVER_RETRY_FIRST, "resolver.retry.first", NULL)                                \
	X(TO_RESOLVER_RETRY_NORMAL, "resolver.retry.normal", NULL)

#define TO_ENUM(id, name, def) id,
enum timeout_id { TIMEOUT_TABLE(TO_ENUM) TO_COUNT };
#undef TO_ENUM

struct options {
	const char *raw[OPT_COUNT]; /* last value as written; NULL = never set */
	long num[OPT_COUNT];        /* typed value: bool 0/1, number, seconds, char, mode */
	bool set[OPT_COUNT];        /* set by the cf or the command line */
	long timeout[TO_COUNT];     /* seconds; -1 = unset */
	const char *daemon_ports[16]; /* each DaemonPortOptions line (O) as written */
	int ndaemon_ports;
	const char *client_ports[4];
	int nclient_ports;
	const char *milter_raw[16];   /* Milter.<sub>=value lines as written */
	int nmilter_raw;
};

/* The options with their built-in defaults (allocated in cf->arena). */
struct options *options_new(struct config *cf);

/* Row lookup: by long name (exact, case-insensitive) or legacy char; -1 if none. */
int option_by_name(const char *name);
int option_by_char(int c);
const char *option_name(int id);

/*
 * Set an option from the text of an O line after the "O" (" Name=value"
 * or "cvalue") or a command-line -o/-O value.  Prints Sendmail's messages
 * through the reader's diagnostics (cf_diag.h) and returns false on error.
 */
bool option_set_line(struct config *cf, const char *text, bool from_cf);

const char *opt_raw(const struct options *o, enum opt_id id);
bool opt_bool(const struct options *o, enum opt_id id);
long opt_num(const struct options *o, enum opt_id id);
/* Seconds for a Timeout.<name> value, -1 if unset. */
long opt_timeout(const struct options *o, enum timeout_id id);

/* Convert a Sendmail time ("1h30m", "90") with a default unit ('s', 'm'). */
long option_convtime(const char *p, int unit, bool *bad, int *badunit);

/* One line per option with its value (for -d dumps and tests). */
void options_dump(const struct options *o, FILE *fp);

#endif
