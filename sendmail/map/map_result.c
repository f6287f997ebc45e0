/*
 * map/map_result: building a lookup's result and preparing its key.
 *
 *   map_rewrite      Sendmail's map_rewrite(): copy a found value,
 *                    replacing %0 by the key and %1..%9 by the $@
 *                    arguments (a missing one is empty), "%%" by '%', any
 *                    other "%x" kept as is, a trailing '%' kept; then the
 *                    -a string is appended.  With key == NULL the value is
 *                    copied without substitution (what -m does).
 *   map_fold_key     the key in lower case unless -f
 *   map_stripquotes  remove double quotes, keep the byte after a backslash
 *   map_shorten      "first...last" form of a long name in messages
 */
#include <ctype.h>
#include <string.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/map/map_int.h"

/* Append the substitution for "%c" (c a digit) to b. */
static void put_arg(struct sm_buf *b, int c, const char *key, const char *const *args, int nargs)
{
	int n = c - '0';

	if (n == 0)
		sm_buf_puts(b, key);
	else if (n <= nargs && args[n - 1] != NULL)
		sm_buf_puts(b, args[n - 1]);
}

char *map_rewrite(struct map *m, const struct map_ctx *ctx, const char *s, size_t len,
		  const char *key, const char *const *args, int nargs)
{
	struct sm_buf b = SM_BUF_INIT;
	size_t i = 0;

	if (key == NULL) {
		sm_buf_append(&b, s, len);
	} else {
		while (i < len && s[i] != '\0') {
			int c = (unsigned char)s[i++];
			if (c != '%') {
				sm_buf_putc(&b, c);
				continue;
			}
			c = i < len ? (unsigned char)s[i] : '\0';
			if (c != '\0')
				i++;
			if (c == '%' || c == '\0')
				sm_buf_putc(&b, '%');
			else if (!isdigit(c)) {
				sm_buf_putc(&b, '%');
				sm_buf_putc(&b, c);
			} else
				put_arg(&b, c, key, args, nargs);
		}
	}
	if (m->app != NULL)
		sm_buf_puts(&b, m->app);
	char *r = sm_arena_memdup(ctx->arena, sm_buf_str(&b), b.len);
	sm_buf_free(&b);
	return r;
}

char *map_fold_key(const struct map *m, struct sm_arena *a, const char *key)
{
	char *k = sm_arena_strdup(a, key);

	if (!(m->flags & MF_NOFOLDCASE))
		for (char *p = k; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	return k;
}

void map_stripquotes(char *s)
{
	char *q = s;

	for (char *p = s; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '"')
			continue;
		*q++ = *p;
	}
	*q = '\0';
}

const char *map_shorten(struct sm_arena *a, const char *s, size_t m)
{
	size_t l = strlen(s);

	if (l < m)
		return s;
	if (m < 10)
		return sm_arena_printf(a, "%.*s...", (int)m, s);
	m = (m - 3) / 2;
	return sm_arena_printf(a, "%.*s...%s", (int)m, s, s + l - m);
}
