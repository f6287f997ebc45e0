/*
 * sm_buf: the one growable byte string.
 *
 * Holds bytes from input of any length: data[len] is always a NUL guard
 * (so data can be used as a C string when it holds no NULs), growth is
 * overflow-checked and aborts on exhaustion.  A zero-initialised struct
 * (SM_BUF_INIT) is a valid empty buffer.  Release with sm_buf_free().
 */
#ifndef SM_BUF_H
#define SM_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct sm_buf {
	char *data; /* NULL until the first append; use sm_buf_str() */
	size_t len;
	size_t cap;
};

#define SM_BUF_INIT {NULL, 0, 0}

void sm_buf_init(struct sm_buf *b);
void sm_buf_free(struct sm_buf *b);
/* Forget the contents, keep the storage. */
void sm_buf_reset(struct sm_buf *b);
/* Make room for at least n more bytes (plus the guard). */
void sm_buf_reserve(struct sm_buf *b, size_t n);

void sm_buf_append(struct sm_buf *b, const void *p, size_t n);
void sm_buf_puts(struct sm_buf *b, const char *s);
void sm_buf_putc_slow(struct sm_buf *b, int c);
/* Append one byte (inline: the common case is a store). */
static inline void sm_buf_putc(struct sm_buf *b, int c)
{
	if (b->len + 1 < b->cap) {
		b->data[b->len++] = (char)c;
		b->data[b->len] = '\0';
	} else {
		sm_buf_putc_slow(b, c);
	}
}
void sm_buf_printf(struct sm_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sm_buf_vprintf(struct sm_buf *b, const char *fmt, va_list ap);
/* Cut the contents to n bytes (n <= len). */
void sm_buf_truncate(struct sm_buf *b, size_t n);

/* The contents as a C string; "" for an empty buffer (never NULL). */
const char *sm_buf_str(const struct sm_buf *b);
/* Hand the storage to the caller (malloc'd, NUL-terminated); b becomes empty. */
char *sm_buf_detach(struct sm_buf *b);

#endif
