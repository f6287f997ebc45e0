/*
 * sm_buf: growable byte strings with a NUL guard.  See sm_buf.h.
 */
#include "sm_buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sm_log.h"
#include "sm_mem.h"

void sm_buf_init(struct sm_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void sm_buf_free(struct sm_buf *b)
{
	free(b->data);
	sm_buf_init(b);
}

void sm_buf_reset(struct sm_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void sm_buf_reserve(struct sm_buf *b, size_t n)
{
	size_t want, cap;

	if (n > SIZE_MAX - b->len - 1)
		sm_panic("sm_buf: size overflow");
	want = b->len + n + 1;
	if (want <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	b->data = sm_realloc(b->data, cap);
	b->cap = cap;
}

void sm_buf_append(struct sm_buf *b, const void *p, size_t n)
{
	sm_buf_reserve(b, n);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void sm_buf_puts(struct sm_buf *b, const char *s)
{
	sm_buf_append(b, s, strlen(s));
}

void sm_buf_putc_slow(struct sm_buf *b, int c)
{
	char ch = (char)c;

	sm_buf_append(b, &ch, 1);
}

void sm_buf_vprintf(struct sm_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		sm_panic("sm_buf_printf: bad format");
	sm_buf_reserve(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void sm_buf_printf(struct sm_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sm_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void sm_buf_truncate(struct sm_buf *b, size_t n)
{
	if (n > b->len)
		sm_panic("sm_buf_truncate beyond end (%zu > %zu)", n, b->len);
	b->len = n;
	if (b->data != NULL)
		b->data[n] = '\0';
}

const char *sm_buf_str(const struct sm_buf *b)
{
	return b->data != NULL ? b->data : "";
}

char *sm_buf_detach(struct sm_buf *b)
{
	char *p = b->data;

	if (p == NULL)
		p = sm_strdup("");
	sm_buf_init(b);
	return p;
}
