/*
 * cf/options: the option table and O-line parsing.
 *
 * One row per option comes from OPTION_TABLE (cf/options.h).  Setting an
 * option: find the row (long name: exact match without case, else a
 * unique prefix, with Sendmail's warning; legacy form: the character),
 * store the text as written, convert it by the row's type, then run the
 * row's check if it has one (CHECKS below: value validation with
 * Sendmail's messages, and the options the engine reads directly, copied
 * into struct config).  Timeout.<sub> has its own table.
 *
 * Public API: cf/options.h.
 */
#include "sendmail/cf/options.h"

#include <ctype.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <arpa/inet.h>

#include "libsm/sm_arena.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/diag.h"

struct option_row {
	const char *name;
	int c;
	enum opt_type type;
	const char *def;
};

#define OPT_ROW(id, name, c, type, def) {name, c, type, def},
static const struct option_row ROWS[OPT_COUNT] = {OPTION_TABLE(OPT_ROW)};
#undef OPT_ROW

struct timeout_row {
	const char *name;
	const char *def;
};

#define TO_ROW(id, name, def) {name, def},
static const struct timeout_row TO_ROWS[TO_COUNT] = {TIMEOUT_TABLE(TO_ROW)};
#undef TO_ROW

int option_by_name(const char *name)
{
	for (int i = 0; i < OPT_COUNT; i++) {
		if (strcasecmp(ROWS[i].name, name) == 0)
			return i;
	}
	return -1;
}

int option_by_char(int c)
{
	for (int i = 0; c != 0 && i < OPT_COUNT; i++) {
		if (ROWS[i].c == c)
			return i;
	}
	return -1;
}

const char *option_name(int id)
{
	return id >= 0 && id < OPT_COUNT ? ROWS[id].name : NULL;
}

long option_convtime(const char *p, int unit, bool *bad, int *badunit)
{
	long total = 0;

	*bad = false;
	for (int guard = 0; *p != '\0' && guard < 64; guard++) {
		long n = 0;
		while (isspace((unsigned char)*p))
			p++;
		while (isdigit((unsigned char)*p))
			n = n * 10 + (*p++ - '0');
		int u = *p ? (unsigned char)*p++ : unit;
		switch (u) {
		case 'w': n *= 7 * 24 * 3600L; break;
		case 'd': n *= 24 * 3600L; break;
		case 'h': n *= 3600L; break;
		case 'm': n *= 60L; break;
		case 's': break;
		default:
			*bad = true;
			*badunit = u;
			n *= unit == 'm' ? 60 : 1;
			break;
		}
		total += n;
	}
	return total;
}

static bool to_bool(const char *v)
{
	return v == NULL || *v == '\0' || strchr("tTyY", *v) != NULL;
}

/* Convert v by the row's type into o->num[id]. */
static void convert(struct options *o, int id, const char *v)
{
	bool bad;
	int unit;

	switch (ROWS[id].type) {
	case OT_BOOL: o->num[id] = to_bool(v); break;
	case OT_INT: o->num[id] = atoi(v); break;
	case OT_LONG: o->num[id] = atol(v); break;
	case OT_CHAR: o->num[id] = (unsigned char)*v; break;
	case OT_MODE: o->num[id] = strtol(v, NULL, 8); break;
	case OT_TIME_S:
	case OT_TIME_M:
		o->num[id] = option_convtime(v, ROWS[id].type == OT_TIME_S ? 's' : 'm', &bad, &unit);
		if (bad)
			cf_usrerr("Invalid time unit `%c'", unit);
		break;
	case OT_STR: break;
	}
}

struct options *options_new(struct config *cf)
{
	struct options *o = sm_arena_zalloc(cf->arena, sizeof(*o));
	bool bad;
	int unit;

	for (int i = 0; i < OPT_COUNT; i++) {
		o->raw[i] = ROWS[i].def;
		if (ROWS[i].def != NULL && ROWS[i].type != OT_STR) {
			bool saved = ROWS[i].type == OT_TIME_S || ROWS[i].type == OT_TIME_M;
			if (saved)
				o->num[i] = option_convtime(ROWS[i].def,
							    ROWS[i].type == OT_TIME_S ? 's' : 'm',
							    &bad, &unit);
			else
				convert(o, i, ROWS[i].def);
		}
	}
	for (int i = 0; i < TO_COUNT; i++)
		o->timeout[i] = TO_ROWS[i].def ? option_convtime(TO_ROWS[i].def, 's', &bad, &unit) : -1;
	return o;
}

const char *opt_raw(const struct options *o, enum opt_id id)
{
	return o->raw[id];
}

bool opt_bool(const struct options *o, enum opt_id id)
{
	return o->num[id] != 0;
}

long opt_num(const struct options *o, enum opt_id id)
{
	return o->num[id];
}

long opt_timeout(const struct options *o, enum timeout_id id)
{
	return o->timeout[id];
}

void options_dump(const struct options *o, FILE *fp)
{
	for (int i = 0; i < OPT_COUNT; i++) {
		fprintf(fp, "%s%s=%s\n", ROWS[i].name, o->set[i] ? "" : " (default)",
			o->raw[i] ? o->raw[i] : "");
	}
}

/* ---- value checks with Sendmail's messages ---- */

static bool word_in(const char *w, size_t len, const char *const *list)
{
	for (; *list; list++) {
		if (strlen(*list) == len && strncasecmp(*list, w, len) == 0)
			return true;
	}
	return false;
}

/* Check each word of v (separated by blanks and commas) against list. */
static bool check_words(struct config *cf, const char *v, const char *const *list,
			const char *fmt)
{
	bool ok = true;

	for (const char *p = v; *p;) {
		while (*p && (isspace((unsigned char)*p) || *p == ','))
			p++;
		const char *e = p;
		while (*e && !isspace((unsigned char)*e) && *e != ',')
			e++;
		if (e > p) {
			const char *w = p;
			if ((*w == '+' || *w == '-') && list[0] != NULL && strcmp(list[0], "+-") == 0)
				w++;
			if (!word_in(w, (size_t)(e - w), list)) {
				cf_syserr(cf, fmt, (int)(e - p), p);
				ok = false;
			}
		}
		p = e;
	}
	return ok;
}

static const char *const PRIVACY_WORDS[] = {
	"public", "needmailhelo", "needexpnhelo", "needvrfyhelo", "noexpn", "novrfy", "noetrn",
	"noverb", "restrictmailq", "restrictqrun", "restrictexpand", "noreceipts",
	"nobodyreturn", "goaway", "authwarnings", "noactualrecipient", NULL};

static const char *const DBS_WORDS[] = {
	"Safe", "AssumeSafeChown", "ClassFileInUnsafeDirPath", "DontWarnForwardFileInUnsafeDirPath",
	"ErrorHeaderInUnsafeDirPath", "FileDeliveryToHardLink", "FileDeliveryToSymLink",
	"ForwardFileInGroupWritableDirPath", "ForwardFileInUnsafeDirPath",
	"ForwardFileInUnsafeDirPathSafe", "GroupReadableKeyFile", "GroupReadableSASLDBFile",
	"GroupReadableDefaultAuthInfoFile", "GroupWritableAliasFile", "GroupWritableDirPathSafe",
	"GroupWritableForwardFile", "GroupWritableForwardFileSafe", "GroupWritableIncludeFile",
	"GroupWritableIncludeFileSafe", "GroupWritableSASLDBFile", "HelpFileInUnsafeDirPath",
	"IncludeFileInGroupWritableDirPath", "IncludeFileInUnsafeDirPath",
	"IncludeFileInUnsafeDirPathSafe", "InsufficientEntropy", "LinkedAliasFileInWritableDir",
	"LinkedClassFileInWritableDir", "LinkedForwardFileInWritableDir",
	"LinkedIncludeFileInWritableDir", "LinkedMapInWritableDir",
	"LinkedServiceSwitchFileInWritableDir", "MapInUnsafeDirPath", "NonRootSafeAddr",
	"RunProgramInUnsafeDirPath", "RunWritableProgram", "TrustStickyBit",
	"WorldWritableAliasFile", "WorldWritableForwardfile", "WorldWritableIncludefile",
	"WriteMapToHardLink", "WriteMapToSymLink", "WriteStatsToHardLink", "WriteStatsToSymLink",
	NULL};

static const char *const RESOLVER_WORDS[] = {
	"+-", "debug", "aaonly", "usevc", "primary", "igntc", "recurse", "defnames", "stayopen",
	"use_inet6", "dnsrch", "use_edns0", "use_dnssec", "trustad", "HasWildcardMX",
	"WorkAroundBrokenAAAA", NULL};

static bool check_user(struct config *cf, const char *v, const char *what)
{
	char *u = sm_arena_strdup(cf->arena, v);
	char *colon = strchr(u, ':');

	if (colon != NULL)
		*colon = '\0';
	if (*u == '\0' || isdigit((unsigned char)*u) || getpwnam(u) != NULL)
		return true;
	cf_syserr(cf, "readcf: option %s: unknown user %s", what, u);
	return false;
}

static bool check_choice(struct config *cf, int id, const char *v)
{
	static const char *const sort[] = {"priority", "host", "filename", "time", "random",
					   "modification", "none", NULL};
	static const char *const norcpt[] = {"none", "add-to", "add-apparently-to", "add-bcc",
					     "add-to-undisclosed", NULL};
	if (id == OPT_QUEUE_SORT_ORDER) {
		for (int i = 0; sort[i]; i++) {
			if (*v && tolower((unsigned char)*v) == sort[i][0])
				return true;
		}
		cf_syserr(cf, "Invalid queue sort order \"%s\"", v);
		return false;
	}
	if (!word_in(v, strlen(v), norcpt)) {
		cf_syserr(cf, "Invalid NoRecipientAction: %s", v);
		return false;
	}
	return true;
}

static void check_lengths(int id, const char *v)
{
	if (id == OPT_MAX_HEADERS_LENGTH) {
		if (atoi(v) > 0 && atoi(v) < 16384)
			cf_plain("Warning: MaxHeadersLength: headers length limit set lower than %d",
				  16384);
		return;
	}
	const char *slash = strchr(v, '/');
	int h = atoi(v), f = slash ? atoi(slash + 1) : 0;
	if (h > 0 && h < 128)
		cf_plain("Warning: MaxMimeHeaderLength: header length limit set lower than 128");
	if (f > 0 && f < 40)
		cf_plain("Warning: MaxMimeHeaderLength: field length limit set lower than 40");
}

/* Options with a meaning beyond storing the value. */
static bool check_value(struct config *cf, int id, const char *v, bool from_cf)
{
	struct in_addr a4;
	struct in6_addr a6;

	switch (id) {
	case OPT_DELIVERY_MODE:
		if (*v != '\0' && strchr("ibqd", *v) == NULL)
			cf_fatal(EX_USAGE, "Unknown delivery mode %c", *v);
		/*
		 * Only a mode given on the command line (-od, -O) reaches
		 * ${deliveryMode}; the cf's O line does not (main presets "i").
		 */
		if (!from_cf)
			macro_set(cf->macros, macro_id("{deliveryMode}"), *v ? (char[]){*v, '\0'} : "i");
		return true;
	case OPT_EIGHT_BIT_MODE:
		if (strchr("smp", tolower((unsigned char)*v)) == NULL || *v == '\0')
			cf_fatal(EX_USAGE, "Unknown 8-bit mode %c", *v);
		return true;
	case OPT_QUEUE_SORT_ORDER:
	case OPT_NO_RECIPIENT_ACTION:
		return check_choice(cf, id, v);
	case OPT_PRIVACY_OPTIONS:
		return check_words(cf, v, PRIVACY_WORDS, "readcf: Op line: %.*s unrecognized");
	case OPT_DONT_BLAME_SENDMAIL:
		return check_words(cf, v, DBS_WORDS,
				   "readcf: DontBlameSendmail option: %.*s unrecognized");
	case OPT_RESOLVER_OPTIONS:
		return check_words(cf, v, RESOLVER_WORDS, "readcf: I option value %.*s unrecognized");
	case OPT_DEFAULT_USER: return check_user(cf, v, "u");
	case OPT_RUN_AS_USER: return check_user(cf, v, "RunAsUser");
	case OPT_TRUSTED_USER: return check_user(cf, v, "TrustedUser");
	case OPT_CONNECT_ONLY_TO:
		if (inet_pton(AF_INET, v, &a4) != 1 && inet_pton(AF_INET6, v, &a6) != 1) {
			cf_syserr(cf, "readcf: option ConnectOnlyTo: invalid IP address %s", v);
			return false;
		}
		return true;
	case OPT_MAX_HEADERS_LENGTH:
	case OPT_MAX_MIME_HEADER_LENGTH:
		check_lengths(id, v);
		return true;
	case OPT_SMTP_UTF8:
		if (to_bool(v))
			cf_syserr(cf, "readcf: option: %s set but no USE_EAI support", "SmtpUTF8");
		return true;
	case OPT_OPERATOR_CHARS:
		if (from_cf && cf->rules_seen)
			cf_plain("Warning: OperatorChars is being redefined.\n"
				  "         It should only be set before ruleset definitions.");
		cf->operator_chars = sm_arena_strdup(cf->arena, v);
		return true;
	case OPT_BLANK_SUB:
		cf->blank_sub = *v ? (unsigned char)*v : ' ';
		return true;
	case OPT_COLON_OK_IN_ADDR:
		cf->colon_ok_in_addr = to_bool(v);
		return true;
	default:
		return true;
	}
}

/* Timeout.<sub>=value (sub NULL: the plain Timeout / r option). */
static bool set_timeout(struct config *cf, const char *sub, const char *v)
{
	static const int starred[] = {TO_MAIL, TO_RCPT, TO_DATAINIT, TO_DATABLOCK, TO_DATAFINAL,
				      TO_COMMAND};
	bool bad;
	int unit;

	if (sub == NULL) {
		long t = option_convtime(v, 'm', &bad, &unit);
		for (size_t i = 0; i < sizeof(starred) / sizeof(starred[0]); i++)
			cf->opt->timeout[starred[i]] = t;
		return true;
	}
	for (int i = 0; i < TO_COUNT; i++) {
		if (strcasecmp(TO_ROWS[i].name, sub) == 0) {
			cf->opt->timeout[i] = option_convtime(v, 's', &bad, &unit);
			if (strcasecmp(sub, "queuereturn") == 0 || strcasecmp(sub, "queuewarn") == 0)
				for (int j = 1; j <= 4; j++)
					cf->opt->timeout[i + j] = cf->opt->timeout[i];
			return true;
		}
	}
	char star[64];
	snprintf(star, sizeof(star), "%s", sub);
	size_t n = strlen(star);
	if (n > 2 && strcmp(star + n - 2, ".*") == 0)
		return set_timeout(cf, (star[n - 2] = '\0', star), v);
	cf_syserr(cf, "settimeout: invalid timeout %s", sub);
	return false;
}

/* Store value v for row id and run its checks. */
static bool set_by_id(struct config *cf, int id, const char *sub, const char *v, bool from_cf)
{
	struct options *o = cf->opt;

	if (id == OPT_TIMEOUT)
		return set_timeout(cf, sub, v);
	if (id == OPT_DAEMON_PORT_OPTIONS && o->ndaemon_ports < 16)
		o->daemon_ports[o->ndaemon_ports++] = sm_arena_strdup(cf->arena, v);
	if (id == OPT_CLIENT_PORT_OPTIONS && o->nclient_ports < 4)
		o->client_ports[o->nclient_ports++] = sm_arena_strdup(cf->arena, v);
	if (id == OPT_MILTER && sub != NULL && o->nmilter_raw < 16)
		o->milter_raw[o->nmilter_raw++] = sm_arena_printf(cf->arena, "%s=%s", sub, v);
	if (!check_value(cf, id, v, from_cf))
		return false;
	o->raw[id] = sm_arena_strdup(cf->arena, v);
	o->set[id] = true;
	convert(o, id, v);
	return true;
}

/* Row for a long name: exact, else a unique prefix (with the warning). */
static int find_long(struct config *cf, const char *name)
{
	int exact = option_by_name(name);
	int first = -1;
	size_t len = strlen(name);

	if (exact >= 0)
		return exact;
	for (int i = 0; i < OPT_COUNT; i++) {
		if (strncasecmp(ROWS[i].name, name, len) != 0)
			continue;
		if (first >= 0) {
			cf_syserr(cf, "readcf: ambiguous option name %s (matches %s and %s)", name,
				  ROWS[first].name, ROWS[i].name);
			return -2;
		}
		first = i;
	}
	if (first >= 0) {
		cf_usrerr("Option %s used as abbreviation for %s", name, ROWS[first].name);
		return first;
	}
	cf_syserr(cf, "readcf: unknown option name %s", name);
	return -2;
}

static bool set_long(struct config *cf, const char *text, bool from_cf)
{
	while (*text == ' ')
		text++;
	const char *e = text;
	while (*e && *e != '=' && !isspace((unsigned char)*e))
		e++;
	if (e == text) {
		cf_syserr(cf, "readcf: null option name");
		return false;
	}
	char *name = sm_arena_memdup(cf->arena, text, (size_t)(e - text));
	while (isspace((unsigned char)*e))
		e++;
	const char *v = *e == '=' ? e + 1 : e;
	while (isspace((unsigned char)*v))
		v++;
	char *sub = strchr(name, '.');
	if (sub != NULL)
		*sub++ = '\0';
	int id = find_long(cf, name);
	if (id < 0)
		return false;
	return set_by_id(cf, id, sub, v, from_cf);
}

bool option_set_line(struct config *cf, const char *text, bool from_cf)
{
	if (text[0] == ' ')
		return set_long(cf, text, from_cf);
	int c = (unsigned char)text[0];
	if (c == 'M') {
		const char *end;
		int id = macro_parse_name(text + 1, &end);
		if (id >= 0)
			macro_set(cf->macros, id, end);
		return id >= 0;
	}
	if (c == 'g')
		return true; /* obsolete default group; merged into DefaultUser */
	int id = option_by_char(c);
	if (id < 0) {
		cf_syserr(cf, "readcf: unknown option name 0x%x", c);
		return false;
	}
	if (id == OPT_QUEUE_TIMEOUT) {
		const char *slash = strchr(text + 1, '/');
		char *ret = sm_arena_memdup(cf->arena, text + 1,
					    slash ? (size_t)(slash - text - 1) : strlen(text + 1));
		set_timeout(cf, "queuereturn", ret);
		if (slash != NULL)
			set_timeout(cf, "queuewarn", slash + 1);
	}
	return set_by_id(cf, id, NULL, text + 1, from_cf);
}
