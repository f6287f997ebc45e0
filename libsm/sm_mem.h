/*
 * sm_mem: allocation that never returns NULL.
 *
 * Every allocator here aborts the process (through sm_panic) when memory
 * is exhausted, so no caller checks for NULL.  Use arenas (sm_arena.h) for
 * anything whose lifetime is a transaction; these are for long-lived or
 * individually owned objects.
 */
#ifndef SM_MEM_H
#define SM_MEM_H

#include <stddef.h>

void *sm_malloc(size_t n);
void *sm_calloc(size_t count, size_t size);
void *sm_realloc(void *p, size_t n);
/* Grow an array of 'count' elements of 'size' bytes; aborts on overflow. */
void *sm_reallocarray(void *p, size_t count, size_t size);
char *sm_strdup(const char *s);
char *sm_strndup(const char *s, size_t n);

#endif
