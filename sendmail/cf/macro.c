/*
 * cf/macro: macro and class names, macro value sets, and macro expansion.
 *
 * Names.  Macros and classes share one name space.  A single-character
 * name "x" (or "{x}") has the id of its byte value (0..255); every longer
 * name "{name}" gets an id >= 256, handed out in order of first use and
 * stable for the life of the process.  The table is process-wide because
 * ids are stored in rules and tokens that outlive any one configuration.
 *
 * Values.  A struct macros maps ids to strings and falls back to a parent
 * set for ids it does not hold (an envelope's macros over the global ones).
 * A value is stored as written in the cf: "$x" stays a reference to x,
 * "$$" stands for a literal dollar, so values keep their deferred meaning
 * until macro_expand() runs (Sendmail expands D-line values at use time).
 *
 * Expansion (macro_expand) follows Sendmail's expand(): $x and ${name} are
 * replaced (recursively) by their values, $?x ... $| ... $. chooses on
 * whether x is set, $$ becomes '$', and every other $-sequence ($&x, $*,
 * $1, $=X, $>name, $[ ...) is copied literally for the rule scanner.
 *
 * Public API: cf/config.h.  Never prints.
 */
#include "sendmail/cf/config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "libsm/sm_mem.h"

#define MACRO_LONG_BASE 256
#define MAX_LONG_NAMES 4096     /* bound on distinct {long} names */
#define MAX_EXPAND_DEPTH 20     /* nested macro references */
#define MAX_EXPAND_BYTES (1 << 20)

static char **long_names; /* "{name}" for id MACRO_LONG_BASE + i */
static size_t nlong;
static size_t caplong;
static char short_names[256][2];

/* Intern the long name given by len bytes at s (without braces). */
static int intern_long(const char *s, size_t len)
{
	for (size_t i = 0; i < nlong; i++) {
		const char *n = long_names[i] + 1;
		if (strlen(n) == len + 1 && memcmp(n, s, len) == 0)
			return (int)(MACRO_LONG_BASE + i);
	}
	if (nlong >= MAX_LONG_NAMES)
		return -1;
	if (nlong == caplong) {
		caplong = caplong ? caplong * 2 : 64;
		long_names = sm_reallocarray(long_names, caplong, sizeof(*long_names));
	}
	char *n = sm_malloc(len + 3);
	n[0] = '{';
	memcpy(n + 1, s, len);
	n[len + 1] = '}';
	n[len + 2] = '\0';
	long_names[nlong] = n;
	return (int)(MACRO_LONG_BASE + nlong++);
}

/* Id for the bytes s[0..len): one byte is itself, longer is a long name. */
static int id_of(const char *s, size_t len)
{
	if (len == 0)
		return -1;
	if (len == 1)
		return (unsigned char)s[0];
	return intern_long(s, len);
}

int macro_id(const char *name)
{
	size_t len = strlen(name);

	if (len >= 2 && name[0] == '{' && name[len - 1] == '}')
		return id_of(name + 1, len - 2);
	return id_of(name, len);
}

const char *macro_name(int id)
{
	if (id >= 0 && id < MACRO_LONG_BASE) {
		short_names[id][0] = (char)id;
		short_names[id][1] = '\0';
		return short_names[id];
	}
	if (id >= MACRO_LONG_BASE && (size_t)(id - MACRO_LONG_BASE) < nlong)
		return long_names[id - MACRO_LONG_BASE];
	return "";
}

int macro_parse_name(const char *p, const char **endp)
{
	if (*p == '\0' || (*p == '{' && strchr(p, '}') == NULL)) {
		*endp = p;
		return -1;
	}
	if (*p != '{') {
		*endp = p + 1;
		return (unsigned char)*p;
	}
	const char *e = strchr(p, '}');
	*endp = e + 1;
	return id_of(p + 1, (size_t)(e - p - 1));
}

/* ---- value sets ---- */

struct macros {
	struct macros *parent;
	char **v; /* indexed by id, NULL = unset */
	size_t n;
};

struct macros *macros_new(struct macros *parent)
{
	struct macros *m = sm_calloc(1, sizeof(*m));
	m->parent = parent;
	return m;
}

void macros_free(struct macros *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i]);
	free(m->v);
	free(m);
}

const char *macro_get(const struct macros *m, int id)
{
	for (int depth = 0; m != NULL && depth < 64; m = m->parent, depth++) {
		if (id >= 0 && (size_t)id < m->n && m->v[id] != NULL)
			return m->v[id];
	}
	return NULL;
}

void macro_set(struct macros *m, int id, const char *value)
{
	if (id < 0)
		return;
	if ((size_t)id >= m->n) {
		size_t n = (size_t)id + 64;
		m->v = sm_reallocarray(m->v, n, sizeof(*m->v));
		memset(m->v + m->n, 0, (n - m->n) * sizeof(*m->v));
		m->n = n;
	}
	free(m->v[id]);
	m->v[id] = value ? sm_strdup(value) : NULL;
}

/* ---- expansion ---- */

struct expander {
	const struct macros *m;
	struct sm_buf out;
	int depth;
};

static void expand_text(struct expander *x, const char *s, const char *end);

/* Length of the macro name at p (after '$', '$=' ...), 0 if none. */
static size_t name_len(const char *p, const char *end)
{
	if (p >= end)
		return 0;
	if (*p != '{')
		return 1;
	const char *e = memchr(p, '}', (size_t)(end - p));
	return e ? (size_t)(e - p + 1) : 0;
}

static int name_at(const char *p, size_t len)
{
	if (len == 1)
		return (unsigned char)*p;
	return id_of(p + 1, len - 2);
}

/* Is c a byte that may name a macro in "$c" (else it is a rule metasymbol)? */
static int is_macro_char(int c)
{
	return c == '{' || (c >= 0x80) || isalpha(c) || c == '_';
}

/*
 * Find the end of a conditional body starting at p: the matching $| (else
 * part) and $. (end), skipping nested $? ... $. pairs.
 */
static void find_cond(const char *p, const char *end, const char **elsep, const char **fip)
{
	int level = 0;

	*elsep = NULL;
	*fip = end;
	for (; p + 1 < end; p++) {
		if (*p != '$')
			continue;
		if (p[1] == '?') {
			level++;
		} else if (p[1] == '|' && level == 0 && *elsep == NULL) {
			*elsep = p;
		} else if (p[1] == '.') {
			if (level == 0) {
				*fip = p;
				return;
			}
			level--;
		}
		p++;
	}
}

/* Expand $?x at p (p points at '$'); returns where to continue. */
static const char *expand_cond(struct expander *x, const char *p, const char *end)
{
	size_t nl = name_len(p + 2, end);
	if (nl == 0) {
		sm_buf_append(&x->out, p, 2);
		return p + 2;
	}
	int id = name_at(p + 2, nl);
	const char *body = p + 2 + nl, *elsep, *fip;
	find_cond(body, end, &elsep, &fip);
	bool set = macro_get(x->m, id) != NULL;
	if (set)
		expand_text(x, body, elsep ? elsep : fip);
	else if (elsep)
		expand_text(x, elsep + 2, fip);
	return fip < end ? fip + 2 : end;
}

/* Expand a macro reference $x / ${name} (p points at the name). */
static const char *expand_ref(struct expander *x, const char *p, const char *end)
{
	size_t nl = name_len(p, end);
	if (nl == 0) {
		sm_buf_putc(&x->out, '$');
		return p;
	}
	const char *v = macro_get(x->m, name_at(p, nl));
	if (v != NULL && x->depth < MAX_EXPAND_DEPTH && x->out.len < MAX_EXPAND_BYTES) {
		x->depth++;
		expand_text(x, v, v + strlen(v));
		x->depth--;
	}
	return p + nl;
}

/* Copy a $-sequence the rule scanner interprets ($&x, $=X, $~X, $*, ...). */
static const char *copy_meta(struct expander *x, const char *p, const char *end)
{
	size_t n = 2;
	if (p[1] == '&' || p[1] == '=' || p[1] == '~')
		n += name_len(p + 2, end);
	sm_buf_append(&x->out, p, n);
	return p + n;
}

static void expand_text(struct expander *x, const char *s, const char *end)
{
	while (s < end) {
		const char *d = memchr(s, '$', (size_t)(end - s));
		if (d == NULL || d + 1 >= end) {
			sm_buf_append(&x->out, s, (size_t)(end - s));
			return;
		}
		sm_buf_append(&x->out, s, (size_t)(d - s));
		if (d[1] == '$') {
			sm_buf_putc(&x->out, '$');
			s = d + 2;
		} else if (d[1] == '?') {
			s = expand_cond(x, d, end);
		} else if (is_macro_char((unsigned char)d[1])) {
			s = expand_ref(x, d + 1, end);
		} else {
			s = copy_meta(x, d, end);
		}
	}
}

char *macro_expand(const struct macros *m, const char *text, struct sm_arena *a)
{
	struct expander x = {m, SM_BUF_INIT, 0};

	expand_text(&x, text, text + strlen(text));
	char *r = sm_arena_memdup(a, sm_buf_str(&x.out), x.out.len);
	sm_buf_free(&x.out);
	return r;
}

void macro_value_print(const char *v, struct sm_buf *out)
{
	for (; *v != '\0'; v++) {
		sm_buf_putc(out, *v);
		if (v[0] == '$' && v[1] == '$')
			v++;
	}
}
