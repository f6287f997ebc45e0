/*
 * sm_arena: a chain of blocks; small requests are carved from the current
 * block, large ones get a block of their own.  See sm_arena.h.
 */
#include "sm_arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sm_log.h"
#include "sm_mem.h"

#define ARENA_BLOCK 8192
#define ARENA_ALIGN 16

struct block {
	struct block *next;
	size_t size;
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct sm_arena {
	struct block *head;
	size_t total;
};

static struct block *block_new(size_t size)
{
	struct block *b = sm_malloc(sizeof(*b) + size);

	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct sm_arena *sm_arena_new(void)
{
	struct sm_arena *a = sm_malloc(sizeof(*a));

	a->head = block_new(ARENA_BLOCK);
	a->total = 0;
	return a;
}

void sm_arena_free(struct sm_arena *a)
{
	struct block *b, *next;

	if (a == NULL)
		return;
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

void sm_arena_reset(struct sm_arena *a)
{
	struct block *b = a->head, *next;

	/* Keep the oldest block (the last in the chain), free the rest. */
	while (b->next != NULL) {
		next = b->next;
		free(b);
		b = next;
	}
	b->used = 0;
	a->head = b;
	a->total = 0;
}

void *sm_arena_alloc(struct sm_arena *a, size_t n)
{
	struct block *b = a->head;
	size_t need;

	if (n > SIZE_MAX - ARENA_ALIGN)
		sm_panic("arena request too large (%zu bytes)", n);
	need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need == 0)
		need = ARENA_ALIGN;
	if (b->size - b->used < need) {
		if (need > ARENA_BLOCK / 4) {
			/* A large object gets its own block behind the head. */
			struct block *big = block_new(need);

			big->used = need;
			big->next = b->next;
			b->next = big;
			a->total += need;
			return big->data;
		}
		b = block_new(ARENA_BLOCK);
		b->next = a->head;
		a->head = b;
	}
	b->used += need;
	a->total += need;
	return b->data + b->used - need;
}

void *sm_arena_zalloc(struct sm_arena *a, size_t n)
{
	void *p = sm_arena_alloc(a, n);

	memset(p, 0, n);
	return p;
}

void *sm_arena_array(struct sm_arena *a, size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / size)
		sm_panic("arena array overflow (%zu x %zu)", count, size);
	return sm_arena_alloc(a, count * size);
}

char *sm_arena_memdup(struct sm_arena *a, const void *p, size_t n)
{
	char *s;

	if (n == SIZE_MAX)
		sm_panic("arena string too large");
	s = sm_arena_alloc(a, n + 1);
	if (n > 0)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

char *sm_arena_strdup(struct sm_arena *a, const char *s)
{
	return sm_arena_memdup(a, s, strlen(s));
}

char *sm_arena_printf(struct sm_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		sm_panic("sm_arena_printf: bad format");
	s = sm_arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

size_t sm_arena_used(const struct sm_arena *a)
{
	return a->total;
}
