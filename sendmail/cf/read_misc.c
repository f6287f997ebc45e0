/*
 * cf/read_misc: the small line types: D (macro), H (header), P
 * (precedence), E (environment), K (map), V (version), Q and X (queue
 * groups and mail filters).
 *
 * D values are stored as written apart from quotes and backslashes (which
 * are removed/applied as Sendmail's munchstring does): macro references
 * stay for use time.  P and K lines are macro-expanded at read time; H
 * templates are kept for use time.
 */
#include "sendmail/cf/read.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/diag.h"
#include "sendmail/map/map.h"

/* Remove quotes, apply backslashes. */
static char *munch_value(struct config *cf, const char *p)
{
	struct sm_buf b = SM_BUF_INIT;

	for (; *p; p++) {
		if (*p == '\\' && p[1] != '\0')
			sm_buf_putc(&b, *++p);
		else if (*p != '"')
			sm_buf_putc(&b, *p);
	}
	char *r = sm_arena_memdup(cf->arena, sm_buf_str(&b), b.len);
	sm_buf_free(&b);
	return r;
}

void read_macro_line(struct cf_reader *rd, char *text)
{
	const char *rest;
	int id = cf_parse_name(rd->cf, text + 1, &rest);

	if (id < 0)
		return;
	macro_set(rd->cf->macros, id, munch_value(rd->cf, rest));
}

/* "?flags?" or "?${macro}?" before a header name. */
static const char *header_condition(struct config *cf, struct cf_header *h, const char *p)
{
	const char *end = strchr(p + 1, '?');

	if (end == NULL)
		return NULL;
	if (p[1] == '$') {
		const char *e;
		h->macro_cond = macro_parse_name(p + 2, &e);
		return end + 1;
	}
	for (const char *f = p + 1; f < end; f++) {
		h->mflags[(unsigned char)*f / 8] |= (unsigned char)(1u << ((unsigned char)*f % 8));
		h->has_mflags = true;
	}
	return end + 1;
}

static void append_header(struct config *cf, struct cf_header *h)
{
	struct cf_header **pp = &cf->headers;

	while (*pp != NULL)
		pp = &(*pp)->next;
	*pp = h;
}

void read_header_line(struct cf_reader *rd, char *text)
{
	struct config *cf = rd->cf;
	struct cf_header *h = sm_arena_zalloc(cf->arena, sizeof(*h));
	const char *p = text + 1;

	h->macro_cond = -1;
	if (*p == '?')
		p = header_condition(cf, h, p);
	const char *colon = p ? strchr(p, ':') : NULL;
	if (colon == NULL || colon == p) {
		cf_syserr(cf, "header syntax error, line \"%s\"", text + 1);
		return;
	}
	const char *ne = colon;
	while (ne > p && isspace((unsigned char)ne[-1]))
		ne--;
	h->name = sm_arena_memdup(cf->arena, p, (size_t)(ne - p));
	const char *v = colon + 1;
	while (isspace((unsigned char)*v))
		v++;
	if (v[0] == '$' && v[1] == '>') {
		v += 2;
		h->keep_comments = *v == '+';
		if (*v == '+')
			v++;
		while (isspace((unsigned char)*v))
			v++;
		h->ruleset = sm_arena_strdup(cf->arena, v);
		config_ruleset_number(cf, v[0] == '"' ? munch_value(cf, v) : v, true);
	} else {
		h->value = sm_arena_strdup(cf->arena, v);
	}
	append_header(cf, h);
}

void read_precedence_line(struct cf_reader *rd, char *text)
{
	struct config *cf = rd->cf;
	char *exp = macro_expand(cf->macros, text + 1, cf->arena);
	char *eq = strchr(exp, '=');

	if (eq == NULL) {
		read_unknown_line(rd, text);
		return;
	}
	*eq = '\0';
	struct cf_precedence *p = sm_arena_zalloc(cf->arena, sizeof(*p));
	p->name = exp;
	p->value = atoi(eq + 1);
	p->next = cf->precedences;
	cf->precedences = p;
}

void read_env_line(struct cf_reader *rd, char *text)
{
	struct config *cf = rd->cf;
	struct cf_env *e = sm_arena_zalloc(cf->arena, sizeof(*e));
	const char *v = text + 1;

	if (strchr(v, '=') == NULL) {
		const char *ours = getenv(v);
		v = ours ? sm_arena_printf(cf->arena, "%s=%s", v, ours) : v;
	}
	e->entry = sm_arena_strdup(cf->arena, v);
	struct cf_env **pp = &cf->env;
	while (*pp != NULL)
		pp = &(*pp)->next;
	*pp = e;
}

void read_map_line(struct cf_reader *rd, char *text)
{
	struct config *cf = rd->cf;
	char *exp = macro_expand(cf->macros, text + 1, cf->arena);

	map_declare(cf->maps, cf, exp, rd->file, rd->line);
}

void read_version_line(struct cf_reader *rd, char *text)
{
	struct config *cf = rd->cf;
	char *p = text + 1;
	char *end;
	long level = strtol(p, &end, 10);

	if (end == p || (*end != '\0' && *end != '/' && !isspace((unsigned char)*end))) {
		cf_syserr(cf, "invalid argument to V line: \"%.20s\"", p);
		return;
	}
	cf->version = (int)level;
	cf->colon_ok_in_addr = level < 6;
	rd->saw_version = true;
	if (*end == '/') {
		char *vendor = end + 1;
		for (char *e = vendor; *e; e++) {
			if (isspace((unsigned char)*e)) {
				*e = '\0';
				break;
			}
		}
		if (strcmp(vendor, "Berkeley") != 0) {
			cf_syserr(cf, "invalid V line vendor code: \"%s\"", vendor);
			return;
		}
		cf->vendor = sm_arena_strdup(cf->arena, vendor);
	}
}

/* Q and X lines: "name, F=value, ...". */
void read_fields_line(struct cf_reader *rd, char *text)
{
	struct config *cf = rd->cf;
	bool milter = text[0] == 'X';
	const char *valid = milter ? "SFT" : "PFNIRJr";
	const char *p = text + 1;
	const char *e = p;

	while (*e && *e != ',' && !isspace((unsigned char)*e))
		e++;
	if (e == p) {
		cf_syserr(cf, milter ? "name required for mail filter" : "name required for queue");
		return;
	}
	struct cf_fields *f = sm_arena_zalloc(cf->arena, sizeof(*f));
	f->name = sm_arena_memdup(cf->arena, p, (size_t)(e - p));
	for (p = e; *p;) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		int code = (unsigned char)*p & 0x7f;
		while (*p && *p != '=' && *p != ',')
			p++;
		if (*p != '=' || strchr(valid, code) == NULL) {
			cf_syserr(cf, milter ? "X%s: unknown filter equate %c=" : "Q%s: unknown queue equate %c=",
				  f->name, code);
			return;
		}
		const char *v = ++p;
		while (*p && *p != ',')
			p++;
		f->fields[code] = sm_arena_memdup(cf->arena, v, (size_t)(p - v));
	}
	if (milter && (f->fields['S'] == NULL || f->fields['S'][0] == '\0')) {
		cf_syserr(cf, "X%s: empty or missing socket information", f->name);
		return;
	}
	struct cf_fields **pp = milter ? &cf->milters : &cf->queue_groups;
	while (*pp != NULL)
		pp = &(*pp)->next;
	*pp = f;
}
