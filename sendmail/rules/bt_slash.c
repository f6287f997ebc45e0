/*
 * rules/bt_slash: the "/" commands of address test mode.
 *
 * Public: bt_slash() (declared in bt.h for bt.c).  The line is split as
 * Sendmail does: trailing blanks cut, the command word ends at the first
 * blank or TAB, the argument starts after the blanks that follow.  The
 * command word is matched case-insensitively.
 *
 *   /quit  /mx host  /canon host  /map name key  /try mailer addr
 *   /tryflags [HhEe][SsRr]  /parse addr  /sender addr  /expand text
 *   /header line  /gethostbyname host (prints nothing without -d)
 *
 * Map, MX and host answers are printed by the map module (map_bt_*);
 * address parsing is rules/parseaddr.c.
 */
#include <ctype.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "libsm/sm_exit.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/map/map.h"
#include "sendmail/rules/bt.h"
#include "sendmail/rules/crackaddr.h"
#include "sendmail/rules/debug.h"
#include "sendmail/rules/parseaddr.h"
#include "sendmail/rules/rewrite.h"

static bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void map_ctx_init(struct bt_session *s, struct map_ctx *mc)
{
	mc->cf = s->cf;
	mc->macros = s->macros;
	mc->arena = s->arena;
}

/* Run fn with an address-parsing context whose traces go to s->out. */
static void pa_ctx_init(struct bt_session *s, struct rw_ctx *rw, struct pa_ctx *pc)
{
	memset(rw, 0, sizeof(*rw));
	rw->cf = s->cf;
	rw->macros = s->macros;
	rw->arena = s->arena;
	rw->trace = s->out;
	rw->debug21 = debug_level(21);
	rw->errout = s->out;
	pc->rw = rw;
	pc->msgout = s->out;
	pc->exitstat = &s->exitstat;
}

static void slash_mx(struct bt_session *s, char *arg)
{
	struct map_ctx mc;
	char *gt;

	if (*arg == '\0') {
		fputs("Usage: /mx address\n", s->out);
		return;
	}
	gt = strchr(arg, '>');
	if (gt != NULL)
		*gt = '\0';
	map_ctx_init(s, &mc);
	map_bt_mx(s->cf->maps, &mc, s->out, arg);
}

static void slash_canon(struct bt_session *s, char *arg)
{
	struct map_ctx mc;

	if (*arg == '\0') {
		fputs("Usage: /canon address\n", s->out);
		return;
	}
	if (strlen(arg) >= MAXNAME) {
		fputs("Name too long\n", s->out);
		return;
	}
	map_ctx_init(s, &mc);
	map_bt_canon(s->cf->maps, &mc, s->out, arg);
}

static void slash_map(struct bt_session *s, char *arg)
{
	struct map_ctx mc;
	char *key;

	if (*arg == '\0') {
		fputs("Usage: /map mapname key\n", s->out);
		return;
	}
	for (key = arg; *key != '\0' && !is_blank((unsigned char)*key); key++)
		continue;
	if (*key == '\0') {
		fputs("No key specified\n", s->out);
		return;
	}
	*key++ = '\0';
	map_ctx_init(s, &mc);
	map_bt_lookup(s->cf->maps, &mc, s->out, arg, key);
}

static const char *try_kind(int flags, bool first)
{
	if (first)
		return (flags & BT_TRY_HEADER) ? "header" : "envelope";
	return (flags & BT_TRY_SENDER) ? "sender" : "recipient";
}

static int rf_flags(int tryflags)
{
	return ((tryflags & BT_TRY_HEADER) ? RF_HEADERADDR : 0) |
	       ((tryflags & BT_TRY_SENDER) ? RF_SENDERADDR : 0);
}

static void slash_try(struct bt_session *s, char *arg)
{
	char *addr = strpbrk(arg, " \t");
	const struct mailer *m;
	struct rw_ctx rw;
	struct pa_ctx pc;
	const char *res;
	int rcode = EX_OK;

	if (addr != NULL)
		while (is_blank((unsigned char)*addr))
			*addr++ = '\0';
	if (addr == NULL || *addr == '\0') {
		fputs("Usage: /try mailer address\n", s->out);
		return;
	}
	m = mailer_find(s->cf, arg);
	if (m == NULL) {
		fprintf(s->out, "Unknown mailer %s\n", arg);
		return;
	}
	fprintf(s->out, "Trying %s %s address ", try_kind(s->tryflags, true),
		try_kind(s->tryflags, false));
	bt_xputs(s->out, addr);
	fprintf(s->out, " for mailer %s\n", arg);
	pa_ctx_init(s, &rw, &pc);
	res = pa_remotename(&pc, addr, m, rf_flags(s->tryflags), &rcode);
	fprintf(s->out, "Rcode = %d, addr = ", rcode);
	bt_xputs(s->out, res != NULL ? res : "<NULL>");
	putc('\n', s->out);
}

static void slash_tryflags(struct bt_session *s, const char *arg)
{
	char type[4];

	if (*arg == '\0') {
		fputs("Usage: /tryflags [Hh|Ee][Ss|Rr]\n", s->out);
		return;
	}
	for (; *arg != '\0'; arg++) {
		switch (*arg) {
		case 'H': case 'h':
			s->tryflags |= BT_TRY_HEADER;
			break;
		case 'E': case 'e':
			s->tryflags &= ~BT_TRY_HEADER;
			break;
		case 'S': case 's':
			s->tryflags |= BT_TRY_SENDER;
			break;
		case 'R': case 'r':
			s->tryflags &= ~BT_TRY_SENDER;
			break;
		default:
			break;
		}
	}
	type[0] = (s->tryflags & BT_TRY_HEADER) ? 'h' : 'e';
	type[1] = ' ';
	type[2] = (s->tryflags & BT_TRY_SENDER) ? 's' : 'r';
	type[3] = '\0';
	macro_set(s->macros, macro_id("{addr_type}"), type);
}

/* The "mailer M, host H, user U" answer of /parse. */
static void print_triple(struct bt_session *s, const struct address *a)
{
	/* raw bytes, as the reference prints them */
	fprintf(s->out, "mailer %s, ", a->mailer_name != NULL ? a->mailer_name : "*error*");
	if (a->host != NULL && a->host[0] != '\0')
		fprintf(s->out, "host %s, ", a->host);
	fprintf(s->out, "user %s\n", a->user != NULL ? a->user : "");
}

static void slash_parse(struct bt_session *s, const char *arg)
{
	struct rw_ctx rw;
	struct pa_ctx pc;
	struct address a;

	if (*arg == '\0') {
		fputs("Usage: /parse address\n", s->out);
		return;
	}
	fputs("Cracked address = ", s->out);
	bt_xputs(s->out, crackaddr(s->cf, arg, s->arena));
	fprintf(s->out, "\nParsing %s %s address\n", try_kind(s->tryflags, true),
		try_kind(s->tryflags, false));
	pa_ctx_init(s, &rw, &pc);
	if (!pa_parseaddr(&pc, arg, rf_flags(s->tryflags), '\0', NULL, &a))
		fputs("Cannot parse\n", s->out);
	else
		print_triple(s, &a);
}

/* /expand: the text as given (its '$' are plain bytes), no newline. */
static void slash_expand(struct bt_session *s, const char *arg)
{
	if (*arg == '\0') {
		fputs("Usage: /expand string\n", s->out);
		return;
	}
	bt_xputs(s->out, arg);
}

/* ---- /header ---- */

/* Header flags, as Sendmail's H_* bits (the numbers -bt prints). */
enum {
	H_EOH = 0x1, H_RCPT = 0x2, H_RESENT = 0x8, H_ACHECK = 0x20, H_FORCE = 0x40,
	H_TRACE = 0x80, H_FROM = 0x100, H_RECEIPTTO = 0x400, H_ERRORSTO = 0x800,
	H_CTE = 0x1000, H_CTYPE = 0x2000, H_BCC = 0x4000, H_ENCODABLE = 0x8000,
	H_BINDLATE = 0x20000, H_USER = 0x40000,
};

/* The headers Sendmail knows by name, with their built-in flags. */
static const struct {
	const char *name;
	unsigned long flags;
} HEADERS[] = {
	{"resent-sender", H_FROM | H_RESENT}, {"resent-from", H_FROM | H_RESENT},
	{"resent-reply-to", H_FROM | H_RESENT}, {"sender", H_FROM}, {"from", H_FROM},
	{"reply-to", H_FROM}, {"errors-to", H_FROM | H_ERRORSTO}, {"full-name", H_ACHECK},
	{"return-receipt-to", H_RECEIPTTO}, {"delivery-receipt-to", H_RECEIPTTO},
	{"disposition-notification-to", H_FROM}, {"to", H_RCPT}, {"resent-to", H_RCPT | H_RESENT},
	{"cc", H_RCPT}, {"resent-cc", H_RCPT | H_RESENT}, {"bcc", H_RCPT | H_BCC},
	{"resent-bcc", H_RCPT | H_BCC | H_RESENT}, {"apparently-to", H_RCPT}, {"message-id", 0},
	{"resent-message-id", H_RESENT}, {"message", H_EOH}, {"text", H_EOH}, {"date", 0},
	{"resent-date", H_RESENT}, {"received", H_TRACE | H_FORCE},
	{"x400-received", H_TRACE | H_FORCE}, {"via", H_TRACE | H_FORCE},
	{"mail-from", H_TRACE | H_FORCE}, {"comments", H_FORCE | H_ENCODABLE},
	{"return-path", H_FORCE | H_ACHECK | H_BINDLATE}, {"content-transfer-encoding", H_CTE},
	{"content-type", H_CTYPE}, {"content-length", H_ACHECK}, {"subject", H_ENCODABLE},
	{"x-authentication-warning", H_FORCE},
};

/* The flags given to a user-supplied header line, as Sendmail's chompheader does. */
static unsigned long header_flags(struct bt_session *s, const char *line)
{
	const char *p = line, *name = line;
	size_t n;

	while (*p > ' ' && *p < 0x7f && *p != ':')
		p++;
	n = (size_t)(p - name);
	while (is_blank((unsigned char)*p))
		p++;
	if (*p++ != ':' || n == 0) {
		struct pa_ctx pc = {NULL, s->out, &s->exitstat};
		struct tok_error e = {553, NULL, NULL, NULL};

		e.msg = sm_arena_printf(s->arena, "header syntax error, line \"%s\"", line);
		pa_scan_errors(&pc, NULL, &e);
		bt_setstat(s, EX_SOFTWARE);
		return 0;
	}
	while (is_blank((unsigned char)*p))
		p++;
	if (*p == '\0')
		return 0;
	for (size_t i = 0; i < sizeof(HEADERS) / sizeof(HEADERS[0]); i++) {
		if (strlen(HEADERS[i].name) == n && strncasecmp(HEADERS[i].name, name, n) == 0)
			return (HEADERS[i].flags & H_EOH) ? H_EOH : HEADERS[i].flags | H_USER;
	}
	return H_USER;
}

static void slash_header(struct bt_session *s, const char *arg)
{
	unsigned long ul = header_flags(s, arg);

	if (ul == 0)
		fputs("ul = 00000000\n", s->out);
	else
		fprintf(s->out, "ul = 0x%08lx\n", ul);
}

/* ---- /sender ---- */

/*
 * Sendmail's setsender() as -bt shows it: the address parsed as an
 * envelope sender (${addr_type} "e s" meanwhile, unset afterwards), the
 * sender rewriting 3, 1, 4, then "addr=" and the parsed user part.
 */
static void slash_sender(struct bt_session *s, const char *arg)
{
	int type_id = macro_id("{addr_type}");
	struct rw_ctx rw;
	struct pa_ctx pc;
	struct address a;
	struct tokvec tv;
	struct tok_error err;
	const char *user = arg;

	if (*arg == '\0') {
		struct passwd *pw = getpwuid(getuid());

		arg = pw != NULL ? sm_arena_strdup(s->arena, pw->pw_name) : "postmaster";
	}
	macro_set(s->macros, type_id, "e s");
	pa_ctx_init(s, &rw, &pc);
	if (pa_parseaddr(&pc, arg, RF_SENDERADDR, '\0', NULL, &a) && a.user != NULL)
		user = a.user;
	tokvec_init(&tv, s->arena);
	if (tok_scan_address_ex(s->cf, s->arena, arg, '\0', TOKS_COMMENTS | TOKS_NOLIMIT, &tv,
				 NULL, &err)) {
		rewrite(&rw, 3, 0, &tv);
		rewrite(&rw, 1, 0, &tv);
		rewrite(&rw, 4, 0, &tv);
		if (rw.nsyserr > 0)
			bt_setstat(s, EX_SOFTWARE);
	}
	macro_set(s->macros, type_id, NULL);
	fprintf(s->out, "addr=%s\n", user);
}

/* One "/" command; line is writable and starts with '/'. */
void bt_slash(struct bt_session *s, char *line)
{
	char *end = line + strlen(line), *arg;
	const char *cmd = line + 1;

	while (end > line && is_blank((unsigned char)end[-1]))
		*--end = '\0';
	arg = strpbrk(line, " \t");
	if (arg != NULL)
		while (is_blank((unsigned char)*arg))
			*arg++ = '\0';
	else
		arg = end;
	if (*cmd == '\0') {
		fputs("Usage: /[canon|map|mx|parse|try|tryflags]\n", s->out);
		return;
	}
	if (strcasecmp(cmd, "quit") == 0)
		s->quit = true;
	else if (strcasecmp(cmd, "mx") == 0)
		slash_mx(s, arg);
	else if (strcasecmp(cmd, "canon") == 0)
		slash_canon(s, arg);
	else if (strcasecmp(cmd, "map") == 0)
		slash_map(s, arg);
	else if (strcasecmp(cmd, "try") == 0)
		slash_try(s, arg);
	else if (strcasecmp(cmd, "tryflags") == 0)
		slash_tryflags(s, arg);
	else if (strcasecmp(cmd, "parse") == 0)
		slash_parse(s, arg);
	else if (strcasecmp(cmd, "expand") == 0)
		slash_expand(s, arg);
	else if (strcasecmp(cmd, "header") == 0)
		slash_header(s, arg);
	else if (strcasecmp(cmd, "sender") == 0)
		slash_sender(s, arg);
	else if (strcasecmp(cmd, "gethostbyname") == 0)
		return;
	else
		fprintf(s->out, "Unknown \"/\" command %s\n", line);
}
