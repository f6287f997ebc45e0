/*
 * rules/bt: the address test mode loop and its one-character commands.
 *
 * Public: bt_new, bt_free, bt_run, bt_command, bt_xputs, bt_syserr (bt.h).
 * The "/" commands live in bt_slash.c.
 *
 * How a line is read (as Sendmail 8.17 does it): at most MAXLINE - 1 bytes
 * per read, so a longer line is executed in pieces; the newline is cut;
 * leading spaces (not TABs) are skipped; the first byte picks the command:
 *
 *     '\0' '#'   nothing                 '.'  .Dx value / .Cx words
 *     '?'        help (-bt topic)        '='  =Sruleset / =M
 *     '-'        -d debug flags          '$'  $x ${name} $=X $={name}
 *     '/'        bt_slash()              else "rulesets address"
 *
 * Errors go to the same stream as everything else.  "System errors"
 * (bad ruleset names, unparsable macro names) set the exit status to
 * EX_SOFTWARE, or EX_OSERR when errno was set, as Sendmail's syserr().
 */
#include "sendmail/rules/bt.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "libsm/sm_exit.h"
#include "libsm/sm_mem.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/cf/options.h"
#include "sendmail/map/map.h"
#include "sendmail/rules/debug.h"
#include "sendmail/rules/parseaddr.h"
#include "sendmail/rules/rewrite.h"
#include "sendmail/rules/token.h"

#define BT_VERSION "8.17.1.9"
#define BT_MAXLINES 100000000L /* bound on lines read in one session */

static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

struct bt_session *bt_new(struct config *cf, FILE *out, int verbose, int exitstat)
{
	struct bt_session *s = sm_calloc(1, sizeof(*s));

	s->cf = cf;
	s->macros = macros_new(cf != NULL ? cf->macros : NULL);
	s->out = out;
	s->verbose = verbose;
	s->exitstat = exitstat;
	s->arena = sm_arena_new();
	/* Sendmail's test mode starts as an envelope recipient */
	macro_set(s->macros, macro_id("{addr_type}"), "e r");
	return s;
}

void bt_free(struct bt_session *s)
{
	if (s == NULL)
		return;
	macros_free(s->macros);
	sm_arena_free(s->arena);
	free(s);
}

void bt_xputs(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		int c = *p;

		if (c >= 0x80) {
			fputs("M-", out);
			c &= 0x7f;
		}
		if (c >= 0x20 && c < 0x7f)
			putc(c, out);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\r')
			fputs("\\r", out);
		else if (c == '\t')
			fputs("\\t", out);
	}
}

void bt_setstat(struct bt_session *s, int status)
{
	if (s->exitstat == EX_OK || s->exitstat == EX_TEMPFAIL)
		s->exitstat = status;
}

void bt_syserr(struct bt_session *s, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(s->out, fmt, ap);
	va_end(ap);
	if (errnum != 0)
		fprintf(s->out, ": %s", strerror(errnum));
	putc('\n', s->out);
	bt_setstat(s, errnum != 0 ? EX_OSERR : EX_SOFTWARE);
}

/* ---- macro and class names, as Sendmail's macid_parse ---- */

/* Parse "{name}" after the brace; returns the id or -1 (messages printed). */
static int macid_braced(struct bt_session *s, const char *p, const char **endp)
{
	struct sm_buf name = SM_BUF_INIT;
	int id;

	for (; *p != '\0' && *p != '}'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '_')
			bt_syserr(s, 0, "Invalid macro/class character %c", *p & 0x7f);
		else
			sm_buf_putc(&name, *p);
	}
	if (*p != '}') {
		bt_syserr(s, 0, "Unbalanced { on %s", sm_buf_str(&name));
		bt_syserr(s, 0, "Unable to assign macro/class ID (mid = 0xffffffff)");
		sm_buf_free(&name);
		*endp = p;
		return -1;
	}
	*endp = p + 1;
	id = macro_id(sm_buf_str(&name));
	sm_buf_free(&name);
	return id;
}

/*
 * The macro or class name at p: "x", "{x}" or "{name}".  Returns its id
 * and sets *endp after it, or -1 after printing Sendmail's message.
 */
static int bt_macid(struct bt_session *s, const char *p, const char **endp)
{
	char one[2];

	*endp = p;
	if (*p == '\0' || (p[0] == '{' && p[1] == '}')) {
		bt_syserr(s, 0, "Name required for macro/class");
		return -1;
	}
	if (*p == '{')
		return macid_braced(s, p + 1, endp);
	one[0] = *p;
	one[1] = '\0';
	*endp = p + 1;
	return macro_id(one);
}

/* ---- . commands ---- */

/* .Dx value: the value keeps its leading blanks; trailing ones go. */
static void cmd_define(struct bt_session *s, const char *arg)
{
	const char *val;
	char *v;
	size_t n;
	int id = bt_macid(s, arg, &val);

	if (id < 0)
		return;
	v = sm_arena_strdup(s->arena, val);
	n = strlen(v);
	/* Sendmail never examines the first byte of the value here */
	while (n > 1 && is_space((unsigned char)v[n - 1]))
		v[--n] = '\0';
	macro_set(s->macros, id, v);
}

/* .Cx words: macro-expanded, split on blanks, each added to the class. */
static void cmd_class(struct bt_session *s, const char *arg)
{
	const char *rest;
	char *text, *p;
	int id;

	if (*arg == '\0')
		return;
	id = bt_macid(s, arg, &rest);
	if (id < 0)
		return;
	text = macro_expand(s->macros, rest, s->arena);
	for (p = text; *p != '\0';) {
		char *w;

		while (*p != '\0' && is_space((unsigned char)*p))
			p++;
		w = p;
		while (*p != '\0' && !is_space((unsigned char)*p))
			p++;
		if (*p != '\0')
			*p++ = '\0';
		if (*w != '\0')
			class_add(s->cf->classes, id, w);
	}
}

static void cmd_dot(struct bt_session *s, const char *line)
{
	switch (line[1]) {
	case 'D':
		cmd_define(s, line + 2);
		return;
	case 'C':
		cmd_class(s, line + 2);
		return;
	case '\0':
		fputs("Usage: .[DC]macro value(s)\n", s->out);
		return;
	default:
		fprintf(s->out, "Unknown \".\" command %s\n", line);
		return;
	}
}

/* ---- $ commands ---- */

static bool print_member(const char *word, void *arg)
{
	fprintf((FILE *)arg, "%s\n", word);
	return true;
}

/* Characters that name a rewriting metasymbol: "$*" prints itself. */
static bool is_meta_name(int c)
{
	return c != '\0' && strchr("*+-~@:>?[]()&#|.0123456789", c) != NULL;
}

static void cmd_dollar(struct bt_session *s, const char *line)
{
	const char *end, *v;
	int id;

	if (line[1] == '=') {
		id = bt_macid(s, line + 2, &end);
		if (id >= 0)
			class_foreach(s->cf->classes, id, print_member, s->out);
		return;
	}
	if (is_meta_name((unsigned char)line[1])) {
		fprintf(s->out, "$%c\n", line[1]);
		return;
	}
	id = bt_macid(s, line + 1, &end);
	if (id < 0)
		return;
	v = macro_get(s->macros, id);
	if (v == NULL) {
		fputs("Undefined\n", s->out);
		return;
	}
	{
		struct sm_buf b = SM_BUF_INIT;

		macro_value_print(v, &b);
		bt_xputs(s->out, sm_buf_str(&b));
		putc('\n', s->out);
		sm_buf_free(&b);
	}
}

/* ---- = and - commands ---- */

/*
 * A ruleset named or numbered at p (up to ',' or the end), as Sendmail's
 * strtorwset(): leading blanks are skipped and the blanks after a name are
 * overwritten with NULs (so a later "Undefined ruleset %s" shows the name
 * alone).  Returns -1 when there is none (after a message for bad ones).
 */
static int bt_ruleset(struct bt_session *s, char *p)
{
	char *q, save;
	int rs;

	while (is_space((unsigned char)*p))
		p++;
	if (isdigit((unsigned char)*p)) {
		long l;
		int n;

		errno = 0;
		l = strtol(p, NULL, 10);
		n = (int)l;
		if (n < 0 || n >= MAXNUMRWSETS) {
			bt_syserr(s, errno, "bad ruleset %d (%d max)", n, MAXNUMRWSETS);
			return -1;
		}
		return n;
	}
	q = p;
	while (*p != '\0' && (isalnum((unsigned char)*p) || *p == '_'))
		p++;
	if (q == p || !isalpha((unsigned char)*q)) {
		bt_syserr(s, 0, "invalid ruleset name: \"%.20s\"", q);
		return -1;
	}
	save = *p;
	*p = '\0';
	rs = config_ruleset_number(s->cf, q, false);
	*p = save;
	while (is_space((unsigned char)*p))
		*p++ = '\0';
	return rs;
}

static void cmd_equal(struct bt_session *s, const char *line)
{
	char *name;
	int rs;

	switch (line[1]) {
	case 'S':
		name = sm_arena_strdup(s->arena, line + 2);
		rs = bt_ruleset(s, name);
		if (rs < 0) {
			fprintf(s->out, "Undefined ruleset %s\n", name);
			return;
		}
		config_print_ruleset(s->cf, config_ruleset(s->cf, rs), s->out);
		return;
	case 'M':
		mailer_print_all(s->cf, s->out);
		return;
	case '\0':
		fputs("Usage: =Sruleset or =M\n", s->out);
		return;
	default:
		fprintf(s->out, "Unknown \"=\" command %s\n", line);
		return;
	}
}

static void cmd_dash(struct bt_session *s, const char *line)
{
	switch (line[1]) {
	case 'd':
		debug_set(line + 2);
		return;
	case '\0':
		fputs("Usage: -d{debug arguments}\n", s->out);
		return;
	default:
		fprintf(s->out, "Unknown \"-\" command %s\n", line);
		return;
	}
}

/* ---- ? ---- */

/* The -bt topic of the help file, as Sendmail's help(). */
static void cmd_help(struct bt_session *s)
{
	const char *path = opt_raw(s->cf->opt, OPT_HELP_FILE);
	FILE *fp = path != NULL && *path != '\0' ? fopen(path, "r") : NULL;
	struct sm_buf line = SM_BUF_INIT;
	int c, shown = 0;

	if (fp == NULL) {
		fprintf(s->out, "Sendmail %s -- HELP not implemented\n", BT_VERSION);
		return;
	}
	for (long n = 0; n < BT_MAXLINES; n++) {
		sm_buf_reset(&line);
		while ((c = getc(fp)) != EOF && c != '\n')
			sm_buf_putc(&line, c);
		if (c == EOF && line.len == 0)
			break;
		if (strncmp(sm_buf_str(&line), "-bt\t", 4) == 0) {
			fputs(macro_expand(s->macros, sm_buf_str(&line) + 4, s->arena), s->out);
			putc('\n', s->out);
			shown++;
		}
	}
	sm_buf_free(&line);
	fclose(fp);
	if (shown == 0)
		fputs("HELP topic \"-bt\" unknown\n", s->out);
	else
		fputs("End of HELP info\n", s->out);
}

/* ---- rulesets address ---- */

static void rw_ctx_init(struct bt_session *s, struct rw_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->cf = s->cf;
	ctx->macros = s->macros;
	ctx->arena = s->arena;
	ctx->trace = s->out;
	ctx->debug21 = debug_level(21);
	ctx->errout = s->out;
}

/* Apply the comma-separated rulesets in list to tv, in order. */
static void apply_list(struct bt_session *s, const char *list, struct tokvec *tv)
{
	struct rw_ctx ctx;
	char *p = sm_arena_strdup(s->arena, list);

	rw_ctx_init(s, &ctx);
	while (*p != '\0') {
		int rs = bt_ruleset(s, p);
		int status;

		if (rs < 0) {
			fprintf(s->out, "Undefined ruleset %s\n", p);
			return;
		}
		status = rewrite(&ctx, rs, 0, tv);
		if (ctx.nsyserr > 0) { /* the engine printed a system error */
			bt_setstat(s, EX_SOFTWARE);
			ctx.nsyserr = 0;
		}
		if (status != EX_OK)
			fprintf(s->out, "== Ruleset %s (%d) status %d\n", p, rs, status);
		while (*p != '\0' && *p++ != ',')
			continue;
	}
}

static void cmd_rulesets(struct bt_session *s, const char *line)
{
	const char *p = line, *list, *item, *endp;
	struct pa_ctx pc;
	char *addr;

	while (is_space((unsigned char)*p))
		p++;
	list = p;
	while (*p != '\0' && !is_space((unsigned char)*p))
		p++;
	if (*p == '\0') {
		fputs("No address!\n", s->out);
		return;
	}
	list = sm_arena_memdup(s->arena, list, (size_t)(p - list));
	addr = sm_arena_strdup(s->arena, p + 1);
	pc.rw = NULL;
	pc.msgout = s->out;
	pc.exitstat = &s->exitstat;
	if (pa_invalidaddr(&pc, addr, NULL))
		return;
	for (item = addr;; item = endp + 1) {
		struct tokvec tv;
		struct tok_error err;
		bool ok;

		tokvec_init(&tv, s->arena);
		endp = NULL;
		ok = tok_scan_address_ex(s->cf, s->arena, item, ',', TOKS_BT | TOKS_NOLIMIT, &tv,
					 &endp, &err);
		pa_scan_errors(&pc, item, &err);
		if (ok && tv.n > 0)
			apply_list(s, list, &tv);
		if (endp == NULL || *endp == '\0')
			break;
	}
}

/* ---- the loop ---- */

void bt_command(struct bt_session *s, const char *line)
{
	int maps_before = s->cf->maps != NULL ? map_exit_status(s->cf->maps) : 0;
	int maps_after;

	while (*line == ' ')
		line++;
	switch (line[0]) {
	case '\0':
	case '#':
		break;
	case '?':
		cmd_help(s);
		break;
	case '.':
		cmd_dot(s, line);
		break;
	case '=':
		cmd_equal(s, line);
		break;
	case '-':
		cmd_dash(s, line);
		break;
	case '$':
		cmd_dollar(s, line);
		break;
	case '/':
		bt_slash(s, sm_arena_strdup(s->arena, line));
		break;
	default:
		cmd_rulesets(s, line);
		break;
	}
	/* a map that failed to open is a system error at that moment */
	maps_after = s->cf->maps != NULL ? map_exit_status(s->cf->maps) : 0;
	if (maps_after != maps_before)
		bt_setstat(s, maps_after);
	fflush(s->out);
	sm_arena_reset(s->arena);
}

/*
 * Read one line as fgets(buf, MAXLINE) does: at most MAXLINE - 1 bytes,
 * the newline (if it fits) kept out.  Returns false at end of input.
 */
static bool read_line(FILE *in, struct sm_buf *b)
{
	int c = EOF;

	sm_buf_reset(b);
	while (b->len < MAXLINE - 1 && (c = getc(in)) != EOF) {
		if (c == '\n')
			return true;
		sm_buf_putc(b, c);
	}
	return b->len > 0;
}

/* What Sendmail's finis() prints with -d2.1 (envelope flags from the options). */
static void print_finis(struct bt_session *s)
{
	bool oldstyle = opt_bool(s->cf->opt, OPT_OLD_STYLE_HEADERS);
	bool metoo = opt_bool(s->cf->opt, OPT_ME_TOO);
	unsigned long flags = (oldstyle ? 0x1UL : 0) | (metoo ? 0x4000UL : 0);

	fprintf(s->out, "\n====finis: stat %d e_id=NOQUEUE e_flags=%lx", s->exitstat, flags);
	if (flags != 0)
		fprintf(s->out, "<%s%s%s>", oldstyle ? "OLDSTYLE" : "",
			oldstyle && metoo ? "," : "", metoo ? "METOO" : "");
	putc('\n', s->out);
}

int bt_run(struct bt_session *s, FILE *in)
{
	struct sm_buf line = SM_BUF_INIT;
	long n;

	if (s->verbose != BT_QUIET) {
		fputs("ADDRESS TEST MODE (ruleset 3 NOT automatically invoked)\n", s->out);
		fputs("Enter <ruleset> <address>\n", s->out);
	}
	for (n = 0; n < BT_MAXLINES && !s->quit; n++) {
		if (s->verbose == BT_PROMPT)
			fputs("> ", s->out);
		fflush(s->out);
		if (!read_line(in, &line))
			break;
		if (s->verbose < BT_PROMPT)
			fprintf(s->out, "> %s\n", sm_buf_str(&line));
		/* a NUL ends the line, as in Sendmail's C strings */
		bt_command(s, sm_buf_str(&line));
	}
	sm_buf_free(&line);
	if (debug_on(2, 1))
		print_finis(s);
	fflush(s->out);
	return s->exitstat;
}
