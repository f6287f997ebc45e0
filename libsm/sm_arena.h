/*
 * sm_arena: region allocator for per-transaction memory.
 *
 * An arena hands out memory from large blocks and frees everything at once
 * with sm_arena_free() (or recycles it with sm_arena_reset()).  Use one per
 * lifetime: a configuration load, a message, an SMTP command, a -bt line.
 * Allocation never fails (it aborts on exhaustion) and is 16-byte aligned.
 * Individual objects are never freed; growable data that outlives one
 * append should use sm_buf instead.
 */
#ifndef SM_ARENA_H
#define SM_ARENA_H

#include <stddef.h>

struct sm_arena;

struct sm_arena *sm_arena_new(void);
/* Free every block and the arena itself; NULL is ignored. */
void sm_arena_free(struct sm_arena *a);
/* Release all allocations but keep the first block for reuse. */
void sm_arena_reset(struct sm_arena *a);

void *sm_arena_alloc(struct sm_arena *a, size_t n);
void *sm_arena_zalloc(struct sm_arena *a, size_t n);
/* Allocate an array; aborts if count * size overflows. */
void *sm_arena_array(struct sm_arena *a, size_t count, size_t size);
char *sm_arena_strdup(struct sm_arena *a, const char *s);
/* Copy exactly n bytes (which may contain NULs) and add a terminating NUL. */
char *sm_arena_memdup(struct sm_arena *a, const void *p, size_t n);
/* printf into the arena. */
char *sm_arena_printf(struct sm_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Total bytes handed out since creation or the last reset (for limits). */
size_t sm_arena_used(const struct sm_arena *a);

#endif
