/*
 * cf/read: the sendmail.cf reader's main loop.
 *
 * readcf() builds a configuration the way Sendmail's start-up does: the
 * host facts first (cf/init.c), then every line of the file, then the
 * checks and fix-ups that follow reading.  Each logical line is:
 *   - one physical line plus the lines after it that begin with a blank
 *     (joined with their newline; messages name the last physical line);
 *   - ignored if empty or starting with '#';
 *   - cut at a '#' comment when the V level is 3 or more ("\#" is a
 *     literal '#', "$#" is the metasymbol), and stripped of trailing
 *     blanks;
 *   - handed to the handler for its first letter (read.h lists them).
 * Errors are reported through cf/diag.h and reading goes on, as Sendmail
 * does.  Lines are bounded (MAX_LOGICAL_LINE); the loop ends at EOF.
 *
 * Public API: readcf, readcf_stream, config_new (cf/config.h).
 */
#include "sendmail/cf/read.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "libsm/sm_file.h"
#include "libsm/sm_mem.h"
#include "sendmail/cf/diag.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/cf/options.h"
#include "sendmail/map/map.h"

#define MAX_LOGICAL_LINE (1024 * 1024)
#define MAX_MACRO_NAME 25

struct config *config_new(void)
{
	struct sm_arena *a = sm_arena_new();
	struct config *cf = sm_arena_zalloc(a, sizeof(*cf));

	cf->arena = a;
	cf->vendor = "Berkeley";
	cf->macros = macros_new(NULL);
	cf->classes = classes_new();
	cf->operator_chars = ".:@[]";
	cf->blank_sub = ' ';
	cf->opt = options_new(cf);
	cf->maps = map_registry_new(a);
	mailer_setup_builtin(cf);
	return cf;
}

void config_free(struct config *cf)
{
	if (cf == NULL)
		return;
	map_registry_free(cf->maps); /* open map files and other outside resources */
	macros_free(cf->macros);
	classes_free(cf->classes);
	sm_arena_free(cf->arena);
}

/* A folded line: physical lines plus their blank-led continuations. */
struct line_source {
	FILE *fp;
	struct sm_buf next; /* look-ahead physical line */
	int have_next;      /* 1 line in next, 0 none yet, -1 EOF */
	int lineno;
};

static int read_physical(struct line_source *ls)
{
	int trunc = 0;
	int r = sm_getline(ls->fp, &ls->next, MAX_LOGICAL_LINE, &trunc);

	if (r == 1) {
		ls->lineno++;
		if (ls->next.len > 0 && ls->next.data[ls->next.len - 1] == '\r')
			sm_buf_truncate(&ls->next, ls->next.len - 1);
	}
	ls->have_next = r == 1 ? 1 : -1;
	return r;
}

/* Next logical line into out; false at EOF.  *lineno = its last line. */
static bool next_logical(struct line_source *ls, struct sm_buf *out, int *lineno)
{
	if (ls->have_next == 0)
		read_physical(ls);
	if (ls->have_next < 0)
		return false;
	sm_buf_reset(out);
	sm_buf_append(out, ls->next.data, ls->next.len);
	*lineno = ls->lineno;
	for (;;) {
		if (read_physical(ls) != 1)
			return true;
		if (ls->next.len == 0 || (ls->next.data[0] != ' ' && ls->next.data[0] != '\t'))
			return true;
		if (out->len + ls->next.len + 1 > MAX_LOGICAL_LINE)
			continue; /* drop what does not fit; the bound keeps us finite */
		sm_buf_putc(out, '\n');
		sm_buf_append(out, ls->next.data, ls->next.len);
		*lineno = ls->lineno;
	}
}

/* Cut comments (level >= 3) and trailing blanks, in place. */
static void strip_comment(char *s, int level)
{
	char *w = s;

	for (char *p = s; *p; p++) {
		if (level >= 3 && *p == '#' && w > s) {
			if (w[-1] == '\\') {
				w[-1] = '#';
				continue;
			}
			if (w[-1] != '$')
				break;
		}
		*w++ = *p;
	}
	*w = '\0';
	while (w > s && isspace((unsigned char)w[-1]))
		*--w = '\0';
}

static void dispatch(struct cf_reader *rd, char *s)
{
	switch (s[0]) {
	case 'R': read_rule_line(rd, s); break;
	case 'S': read_ruleset_line(rd, s); break;
	case 'D': read_macro_line(rd, s); break;
	case 'C': read_class_line(rd, s); break;
	case 'F': read_file_class_line(rd, s); break;
	case 'M': mailer_define(rd->cf, s + 1); break;
	case 'O': option_set_line(rd->cf, s + 1, true); break;
	case 'H': read_header_line(rd, s); break;
	case 'P': read_precedence_line(rd, s); break;
	case 'T': read_trusted_line(rd, s); break;
	case 'E': read_env_line(rd, s); break;
	case 'K': read_map_line(rd, s); break;
	case 'V': read_version_line(rd, s); break;
	case 'Q':
	case 'X': read_fields_line(rd, s); break;
	default: read_unknown_line(rd, s); break;
	}
}

void readcf_stream(struct config *cf, FILE *fp, const char *name)
{
	struct line_source ls = {fp, SM_BUF_INIT, 0, 0};
	struct sm_buf line = SM_BUF_INIT;
	struct cf_reader rd = {cf, name, 0, NULL, false};

	cf->file = sm_arena_strdup(cf->arena, name);
	rd.file = cf->file;
	while (next_logical(&ls, &line, &rd.line)) {
		char *s = line.data;
		if (line.len == 0 || s[0] == '#')
			continue;
		cf_diag_where(rd.file, rd.line);
		strip_comment(s, cf->version);
		if (s[0] == '\0')
			continue;
		dispatch(&rd, s);
	}
	cf_diag_where(NULL, 0);
	sm_buf_free(&line);
	sm_buf_free(&ls.next);
	/* Forward $>name references get their numbers now that all S lines are in. */
	ruleset_resolve_calls(cf);
}

/* The warnings Sendmail gives about the V level once the file is read. */
static void check_version(struct config *cf)
{
	if (cf->version > 10)
		cf_syserr(cf,
			  "Warning: .cf version level (%d) exceeds sendmail version %s "
			  "functionality (%d)",
			  cf->version, "8.17.1.9", 10);
	else if (cf->version < 10)
		cf_plain("Warning: .cf file is out of date: sendmail %s supports version %d, "
			  ".cf file is version %d",
			  "8.17.1.9", 10, cf->version);
}

#define MAX_PRESETS 64

static struct {
	char *name;
	char *value;
} presets[MAX_PRESETS];

void readcf_define(const char *name, const char *value)
{
	int i;

	for (i = 0; i < MAX_PRESETS && presets[i].name != NULL; i++) {
		if (strcmp(presets[i].name, name) == 0)
			break;
	}
	if (i == MAX_PRESETS)
		return;
	if (presets[i].name == NULL)
		presets[i].name = sm_strdup(name);
	free(presets[i].value);
	presets[i].value = value ? sm_strdup(value) : NULL;
}

static void apply_presets(struct config *cf)
{
	for (int i = 0; i < MAX_PRESETS && presets[i].name != NULL; i++)
		macro_set(cf->macros, macro_id(presets[i].name), presets[i].value);
}

struct config *readcf(const char *path, bool safe)
{
	struct config *cf = config_new();
	FILE *fp;

	cf->safe = safe;
	config_init_host(cf);
	apply_presets(cf);
	fp = fopen(path, "r");
	if (fp == NULL) {
		int err = errno;
		cf_diag_where(path, 0);
		cf_fatal(EX_OSFILE, "cannot open: %s", strerror(err));
	}
	readcf_stream(cf, fp, path);
	fclose(fp);
	check_version(cf);
	mailer_finish(cf);
	config_finish_host(cf);
	return cf;
}

void read_unknown_line(struct cf_reader *rd, const char *text)
{
	cf_syserr(rd->cf, "unknown configuration line \"%s\"", cf_line_image(rd, text));
}

const char *cf_line_image(struct cf_reader *rd, const char *text)
{
	struct sm_buf b = SM_BUF_INIT;

	for (const char *p = text; *p; p++) {
		if (p[0] == '$' && p[1] == '$') {
			sm_buf_putc(&b, '$');
			p++;
		} else if (p[0] == '$' && p[1] != '\0') {
			sm_buf_putc(&b, '\001');
		} else {
			sm_buf_putc(&b, *p);
		}
	}
	char *r = sm_arena_memdup(rd->cf->arena, sm_buf_str(&b), b.len);
	sm_buf_free(&b);
	return r;
}

int cf_parse_name(struct config *cf, const char *p, const char **endp)
{
	*endp = p;
	if (*p == '\0' || isspace((unsigned char)*p)) {
		cf_syserr(cf, "Name required for macro/class");
		return -1;
	}
	if (*p != '{') {
		*endp = p + 1;
		return (unsigned char)*p;
	}
	const char *e = p + 1;
	while (*e && *e != '}')
		e++;
	if (*e != '}') {
		cf_syserr(cf, "Unbalanced { on %s", p + 1);
		cf_syserr(cf, "Unable to assign macro/class ID (mid = 0xffffffff)");
		*endp = e;
		return -1;
	}
	size_t len = (size_t)(e - p - 1);
	*endp = e + 1;
	if (len > MAX_MACRO_NAME) {
		cf_syserr(cf, "Macro/class name ({%.*s}) too long (%d chars max)", (int)len, p + 1,
			  MAX_MACRO_NAME);
		return -1;
	}
	if (len == 0) {
		cf_syserr(cf, "Name required for macro/class");
		return -1;
	}
	char *name = sm_arena_memdup(cf->arena, p + 1, len);
	return macro_id(name);
}
