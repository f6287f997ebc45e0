/*
 * rules/crackaddr.c: header address templates.  Interface and examples in
 * rules/crackaddr.h.
 *
 * One pass over the input with a small state: quote mode, comment depth,
 * angle depth, bracket depth, and "copy depth" (inside a comment or after
 * a closing '>' characters are copied to the template; elsewhere they are
 * address characters, which become one "$g").  Reaching a '<' or a group
 * ':' means what came before was a phrase: the template is restarted from
 * the phrase (quoted if it held characters that must be quoted).  Every
 * character is visited a bounded number of times (the phrase once more
 * when it is copied), and the output is an sm_buf, so neither length nor
 * nesting can overflow anything.
 */
#include "sendmail/rules/crackaddr.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/options.h"

#define FIXED_MUSTQUOTE "@,;:\\()[]"
#define TEMPLATE_MAX 256 /* as Sendmail: longer templates are cut (bounds the work too) */

struct crack {
	const char *addr;     /* input after leading blanks */
	const char *p;        /* cursor (just past the current character) */
	const char *phrase;   /* where the text before a '<' or ':' starts */
	struct sm_buf out;
	size_t head;          /* output start after a group name */
	const char *mustquote;
	bool colon_ok;
	bool qmode, realqmode, quoteit, putg, gotangle, gotcolon;
	bool skipping; /* the template was full when this character began */
	long cmt, realcmt, copy, angle, realangle, brack;
};

static bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Room left in the template (Sendmail's is MAXNAME bytes, closers kept free). */
static bool full(const struct crack *k)
{
	return k->out.len + (size_t)k->realcmt + (size_t)k->realangle + 1 >= TEMPLATE_MAX;
}

static void put(struct crack *k, int c)
{
	if (!full(k))
		sm_buf_putc(&k->out, c);
}

/* Drop the last output character if it is past the group head. */
static void unput(struct crack *k)
{
	if (k->out.len > k->head)
		sm_buf_truncate(&k->out, k->out.len - 1);
}

/* An address character: the first one outside copied text becomes $g. */
static void addr_char(struct crack *k)
{
	if (k->copy > 0 || k->putg)
		return;
	if (k->out.len > 0 && k->out.data[k->out.len - 1] == ')')
		put(k, ' ');
	sm_buf_puts(&k->out, "$g");
	k->putg = true;
}

/*
 * Restart the template with the phrase before the current '<' or ':'
 * (at k->p - 1).  empty_base is where an opened quote counts as empty.
 */
static void copy_phrase(struct crack *k, int stop, size_t empty_base)
{
	const char *end = k->p;

	sm_buf_truncate(&k->out, k->head);
	if (!k->quoteit) {
		for (const char *q = k->phrase; q < end && !full(k); q++)
			put(k, *q);
		return;
	}
	put(k, '"');
	end = k->p - 1; /* back over the stop character and the blanks before it */
	while (end > k->addr && is_blank((unsigned char)end[-1]))
		end--;
	for (const char *q = k->phrase; q < end && !full(k); q++) {
		if (*q == '"')
			put(k, '\\');
		put(k, *q);
	}
	if (k->out.len == empty_base + 1)
		sm_buf_truncate(&k->out, empty_base);
	else
		put(k, '"');
	for (const char *q = end; q < k->p - 1 && !full(k); q++)
		put(k, *q);
	put(k, stop);
}

/* ':' outside angles: DECnet "::"/":." or the end of a group name. */
static void group_colon(struct crack *k)
{
	if (*k->p == ':' || *k->p == '.') {
		if (k->cmt <= 0 && !k->qmode)
			k->quoteit = true;
		if (k->copy > 0) {
			put(k, ':');
			put(k, *k->p);
		}
		k->p++;
		addr_char(k);
		return;
	}
	k->gotcolon = true;
	copy_phrase(k, ':', k->head);
	while (is_blank((unsigned char)*k->p))
		put(k, *k->p++);
	k->copy = 0;
	k->putg = k->quoteit = false;
	k->head = k->out.len;
	k->phrase = k->p;
}

/* '<': what came before was a phrase. */
static void open_angle(struct crack *k)
{
	if (k->gotangle)
		k->quoteit = true;
	k->gotangle = true;
	k->angle = 1;
	if (!k->skipping)
		k->realangle = 1;
	copy_phrase(k, '<', 0);
	k->copy = 0;
	k->putg = k->quoteit = false;
}

static void close_angle(struct crack *k)
{
	if (k->angle > 0) {
		k->angle--;
		if (!k->skipping && k->realangle > 0)
			k->realangle--;
	} else if (!k->skipping) {
		if (k->copy > 0)
			unput(k);
		k->quoteit = true;
		return;
	}
	if (k->copy++ <= 0)
		put(k, '>');
}

/* Comments: returns true if c was consumed by comment handling. */
static bool comment_char(struct crack *k, int c)
{
	if (c == '(') {
		k->cmt++;
		if (!k->skipping)
			k->realcmt++;
		if (k->copy++ <= 0) {
			if (k->out.len != k->head)
				put(k, ' ');
			put(k, '(');
		}
	}
	if (k->cmt > 0) {
		if (c == ')') {
			k->cmt--;
			k->copy--;
			if (!k->skipping && k->realcmt > 0)
				k->realcmt--;
		}
		return true;
	}
	if (c == ')' && k->copy > 0)
		unput(k); /* unmatched ')' */
	return false;
}

/* A backslash: the next character is taken literally. */
static void escaped(struct crack *k)
{
	if (k->cmt <= 0 && !k->qmode)
		k->quoteit = true;
	if (*k->p != '\0') {
		if (k->copy > 0)
			put(k, *k->p);
		k->p++;
	}
	addr_char(k);
}

/* Handle one character outside quotes and comments. */
static void plain_char(struct crack *k, int c)
{
	if (c == '[')
		k->brack++;
	else if (c == ']')
		k->brack--;
	if (c == ':' && k->angle <= 0 && k->brack <= 0 && !k->gotcolon && !k->colon_ok) {
		group_colon(k);
		return;
	}
	if (c == ';' && k->copy <= 0 && !k->colon_ok)
		put(k, ';');
	if (strchr(k->mustquote, c) != NULL && k->cmt <= 0 && !k->qmode)
		k->quoteit = true;
	if (c == '<')
		open_angle(k);
	else if (c == '>')
		close_angle(k);
	else
		addr_char(k);
}

/* Close whatever is still open. */
static void repair(struct crack *k)
{
	if (k->realqmode)
		put(k, '"');
	for (long i = 0; i < k->realcmt; i++)
		sm_buf_putc(&k->out, ')');
	for (long i = 0; i < k->realangle; i++)
		sm_buf_putc(&k->out, '>');
}

static const char *must_quote_chars(const struct config *cf, struct sm_arena *a)
{
	const char *extra = cf && cf->opt ? opt_raw(cf->opt, OPT_MUST_QUOTE_CHARS) : NULL;

	return sm_arena_printf(a, "%s%s", FIXED_MUSTQUOTE, extra ? extra : ".'");
}

char *crackaddr(const struct config *cf, const char *addr, struct sm_arena *a)
{
	struct crack k;
	char *res;
	int c;

	memset(&k, 0, sizeof(k));
	while (is_blank((unsigned char)*addr))
		addr++;
	k.addr = k.p = k.phrase = addr;
	k.mustquote = must_quote_chars(cf, a);
	k.colon_ok = cf != NULL && cf->colon_ok_in_addr;
	while ((c = (unsigned char)*k.p++) != '\0') {
		k.skipping = full(&k);
		if (k.copy > 0)
			put(&k, c);
		if (c == '\\') {
			escaped(&k);
		} else if (c == '"' && k.cmt <= 0) {
			k.qmode = !k.qmode;
			if (k.copy > 0)
				k.realqmode = !k.realqmode;
		} else if (k.qmode) {
			addr_char(&k);
		} else if (!comment_char(&k, c)) {
			plain_char(&k, c);
		}
	}
	repair(&k);
	res = sm_arena_strdup(a, sm_buf_str(&k.out));
	sm_buf_free(&k.out);
	return res;
}
