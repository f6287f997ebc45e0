/*
 * alias_read: the aliases(5) file reader.  See alias.h for the format.
 *
 *   alias_parse        read a file, call back for each good entry
 *   alias_default_lhs  the built-in rule for names (without rulesets)
 *   alias_msg          "FILE: line N: text" on the message stream
 *
 * Lines are read with no fixed buffer; Sendmail's 8191-byte limit on a
 * line with its continuations is enforced by counting, and line numbers
 * follow the reference (lines flushed after an overlong one are not
 * counted, as Sendmail does not count them).
 */
#include <stdarg.h>
#include <string.h>

#include "libsm/sm_buf.h"
#include "sendmail/alias/alias_int.h"

/* No aliases file has this many physical lines in one entry. */
#define MAX_CONT_LINES 10000000

struct reader {
	FILE *fp;
	unsigned lineno;
};

void alias_msg(const struct alias_opts *o, const char *fname, unsigned line, const char *fmt, ...)
{
	FILE *out = o->msgs != NULL ? o->msgs : stdout;
	va_list ap;

	if (line > 0)
		fprintf(out, "%s: line %u: ", fname, line);
	else
		fprintf(out, "%s: ", fname);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

/*
 * Append one physical line (without its newline) to b, storing at most
 * up to cap bytes in b.  Returns 1 (and *nl: a newline ended it), 0 at end
 * of file with nothing read, -1 on a read error.
 */
static int phys_line(struct reader *r, struct sm_buf *b, size_t cap, int *nl)
{
	int c, any = 0;

	*nl = 0;
	while ((c = getc(r->fp)) != EOF) {
		any = 1;
		if (c == '\n') {
			*nl = 1;
			return 1;
		}
		if (b->len < cap)
			sm_buf_putc(b, c);
	}
	if (ferror(r->fp))
		return -1;
	return any;
}

/* Does the next line start with a blank (a continuation)? */
static int next_is_blank(struct reader *r)
{
	int c = getc(r->fp);

	if (c != EOF)
		ungetc(c, r->fp);
	return c == ' ' || c == '\t';
}

/*
 * Read one logical line (a line and its continuations) into b.
 * Returns 1, 0 at end of file, -1 on error; *toolong when it exceeds
 * Sendmail's buffer.
 */
static int logical_line(struct reader *r, struct sm_buf *b, int *toolong)
{
	const size_t cap = ALIAS_LINE_MAX; /* store a little past the limit */
	int nl, rc, n;

	sm_buf_reset(b);
	*toolong = 0;
	rc = phys_line(r, b, cap, &nl);
	if (rc <= 0)
		return rc;
	r->lineno++;
	for (n = 0; n < MAX_CONT_LINES; n++) {
		/* The reference's fgets holds 8191 bytes, newline included. */
		if (b->len + (size_t)nl > ALIAS_LINE_MAX - 1 ||
		    (!nl && b->len >= ALIAS_LINE_MAX - 1))
			*toolong = 1;
		if (nl && b->len > 0 && b->data[b->len - 1] == '\\')
			sm_buf_truncate(b, b->len - 1);
		else if (!(nl && next_is_blank(r)))
			break;
		rc = phys_line(r, b, cap, &nl);
		if (rc < 0)
			return -1;
		if (rc == 0)
			break;
		if (!*toolong)
			r->lineno++;
	}
	return 1;
}

static int is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The operator characters of Sendmail's default tokenizer. */
static int is_special(int c)
{
	return c != '\0' && strchr(".:%@!^/[]+<>,;", c) != NULL;
}

/* Skip a "(comment)" starting at p; returns the char after it or NULL. */
static const char *skip_comment(const char *p)
{
	int depth = 0;

	for (; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p + 1;
	}
	return NULL;
}

/* Copy a word or quoted string at p to out; returns the char after it or NULL. */
static const char *copy_word(const char *p, struct sm_buf *out)
{
	if (*p == '"') {
		sm_buf_putc(out, *p++);
		for (; *p != '"'; p++) {
			if (*p == '\0')
				return NULL;
			if (*p == '\\' && p[1] != '\0')
				sm_buf_putc(out, *p++);
			sm_buf_putc(out, *p);
		}
		sm_buf_putc(out, *p++);
		return p;
	}
	while (*p != '\0' && !is_blank((unsigned char)*p) && !is_special((unsigned char)*p) &&
	       *p != '(' && *p != '"') {
		if (*p == '\\' && p[1] != '\0')
			sm_buf_putc(out, *p++);
		sm_buf_putc(out, *p++);
	}
	return p;
}

enum alias_lhs_result alias_default_lhs(void *ctx, const char *text, struct sm_buf *user)
{
	const char *p = text;
	int last_word = 0;

	(void)ctx;
	sm_buf_reset(user);
	while (p != NULL && *p != '\0') {
		if (is_blank((unsigned char)*p)) {
			p++;
		} else if (*p == '(') {
			p = skip_comment(p);
		} else if (*p == ')') {
			return ALIAS_LHS_ILLEGAL;
		} else if (is_special((unsigned char)*p)) {
			sm_buf_putc(user, *p++);
			last_word = 0;
		} else {
			if (last_word)
				sm_buf_putc(user, ' ');
			p = copy_word(p, user);
			last_word = 1;
		}
	}
	if (p == NULL || user->len == 0)
		return ALIAS_LHS_ILLEGAL;
	return ALIAS_LHS_OK;
}

/* The end of the name: the first ':' outside quotes (NULL if none). */
static const char *name_end(const char *line)
{
	int quoted = 0;
	const char *p;

	for (p = line; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (*p == ':' && !quoted)
			return p;
	}
	return NULL;
}

/* CheckAliases: give each address of the value to the hook. */
static void check_value(const struct alias_opts *o, const char *fname, unsigned line, const char *v)
{
	struct sm_buf addr = SM_BUF_INIT, why = SM_BUF_INIT;
	int quoted = 0, depth = 0;

	for (;; v++) {
		if (*v == '\0' || (*v == ',' && !quoted && depth == 0)) {
			const char *a = sm_buf_str(&addr);

			while (is_blank((unsigned char)*a))
				a++;
			sm_buf_reset(&why);
			if (*a != '\0' && o->check_rhs(o->ctx, a, &why) != 0)
				alias_msg(o, fname, line, "%s... %s", a, sm_buf_str(&why));
			sm_buf_reset(&addr);
			if (*v == '\0')
				break;
			continue;
		}
		if (*v == '"')
			quoted = !quoted;
		else if (*v == '(' && !quoted)
			depth++;
		else if (*v == ')' && !quoted && depth > 0)
			depth--;
		sm_buf_putc(&addr, *v);
	}
	sm_buf_free(&addr);
	sm_buf_free(&why);
}

/* Lower-case a key in place (all of it, as the alias map stores it). */
static void fold(struct sm_buf *b)
{
	size_t i;

	for (i = 0; i < b->len; i++)
		if (b->data[i] >= 'A' && b->data[i] <= 'Z')
			b->data[i] = (char)(b->data[i] - 'A' + 'a');
}

/* The name text before its colon, trimmed (Sendmail's q_paddr). */
static void name_text(const char *line, const char *end, struct sm_buf *out)
{
	while (line < end && is_blank((unsigned char)*line))
		line++;
	while (end > line && is_blank((unsigned char)end[-1]))
		end--;
	sm_buf_reset(out);
	sm_buf_append(out, line, (size_t)(end - line));
}

struct entry_ctx {
	const struct alias_opts *o;
	const char *fname;
	struct alias_stats *st;
	alias_entry_fn each;
	void *arg;
	struct sm_buf name, user;
};

/* One logical line that is not blank, comment or continuation. */
static int entry(struct entry_ctx *e, const char *line, unsigned lineno)
{
	const char *colon = strchr(line, ':'), *end, *v;
	enum alias_lhs_result r;

	if (colon == NULL) {
		alias_msg(e->o, e->fname, lineno, "missing colon");
		e->st->errors++;
		return 0;
	}
	end = name_end(line);
	name_text(line, end != NULL ? end : colon, &e->name);
	r = (e->o->lhs != NULL ? e->o->lhs : alias_default_lhs)(e->o->ctx, sm_buf_str(&e->name),
	                                                        &e->user);
	if (r == ALIAS_LHS_ILLEGAL) {
		alias_msg(e->o, e->fname, lineno, "%.40s... illegal alias name", line);
		e->st->errors++;
		return 0;
	}
	for (v = colon + 1; is_blank((unsigned char)*v); v++)
		continue;
	if (e->o->check_rhs != NULL)
		check_value(e->o, e->fname, lineno, v);
	if (r == ALIAS_LHS_NONLOCAL) {
		alias_msg(e->o, e->fname, lineno, "%s... cannot alias non-local names",
		          sm_buf_str(&e->name));
		e->st->errors++;
		return 0;
	}
	if (*v == '\0') {
		alias_msg(e->o, e->fname, lineno, "%.40s... missing value for alias", line);
		e->st->errors++;
		return 0;
	}
	fold(&e->user);
	return e->each(e->arg, sm_buf_str(&e->user), e->user.len, sm_buf_str(&e->name), v,
	               strlen(v), lineno);
}

int alias_parse(FILE *fp, const char *fname, const struct alias_opts *o, alias_entry_fn each,
                void *arg, struct alias_stats *st)
{
	struct reader r = {fp, 0};
	struct entry_ctx e = {o, fname, st, each, arg, SM_BUF_INIT, SM_BUF_INIT};
	struct sm_buf line = SM_BUF_INIT;
	int skipping = 0, toolong, rc;

	while ((rc = logical_line(&r, &line, &toolong)) > 0) {
		const char *l = sm_buf_str(&line);

		if (toolong) {
			alias_msg(o, fname, r.lineno, "alias line too long");
			st->errors++;
			continue;
		}
		if (l[0] == '#' || l[0] == '\0') {
			skipping = 0;
			continue;
		}
		if (l[0] == ' ' || l[0] == '\t') {
			if (!skipping) {
				alias_msg(o, fname, r.lineno,
				          "Non-continuation line starts with space");
				st->errors++;
			}
			skipping = 1;
			continue;
		}
		skipping = 0;
		if (entry(&e, l, r.lineno) < 0) {
			rc = -1;
			break;
		}
	}
	sm_buf_free(&line);
	sm_buf_free(&e.name);
	sm_buf_free(&e.user);
	return rc < 0 ? -1 : 0;
}
