/*
 * sm_mem: allocation wrappers that abort on exhaustion or size overflow.
 * See sm_mem.h.  Nothing here knows about mail.
 */
#include "sm_mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sm_log.h"

void *sm_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		sm_panic("out of memory allocating %zu bytes", n);
	return p;
}

void *sm_calloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (p == NULL)
		sm_panic("out of memory allocating %zu x %zu bytes", count, size);
	return p;
}

void *sm_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		sm_panic("out of memory reallocating %zu bytes", n);
	return q;
}

void *sm_reallocarray(void *p, size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / size)
		sm_panic("array size overflow (%zu x %zu)", count, size);
	return sm_realloc(p, count * size);
}

char *sm_strdup(const char *s)
{
	return sm_strndup(s, strlen(s));
}

char *sm_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = sm_malloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}
