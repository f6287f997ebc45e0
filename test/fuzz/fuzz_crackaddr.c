/*
 * fuzz_crackaddr: header address templates on arbitrary bytes.  Checks
 * that crackaddr never overruns, stays linear, and always returns a
 * bounded template.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libsm/sm_arena.h"
#include "sendmail/rules/crackaddr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sm_arena *a = sm_arena_new();
	char *s = sm_arena_memdup(a, data, size); /* stops at the first NUL, as a C string */
	char *t = crackaddr(NULL, s, a);

	if (strlen(t) > 256 + 2 * strlen(s) + 8)
		abort();
	sm_arena_free(a);
	return 0;
}
