/*
 * unit_util: the fixtures several cmocka unit tests share (test/unit/).
 *
 * Owns the one copy of:
 * - the private temporary directory: unit_tmpdir() makes /tmp/PROG.XXXXXX
 *   (PROG: the test program's own name), unit_rmtree() removes it, and
 *   unit_dir_setup()/unit_dir_teardown() are the cmocka group setup and
 *   teardown doing both for the program-wide directory unit_dir;
 * - the map fixture (struct unit_map_fx): a temporary directory, a map
 *   registry printing into memory, empty macros, a version 10 config and a
 *   lookup context, as the cf reader and -bt set them up.
 *   unit_map_fx_open() / unit_map_fx_close() are called from a test's own
 *   setup and teardown (which add what is theirs: files, options, servers);
 *   fx_path(), fx_output() and fx_bt() work on the fixture opened last.
 *
 * Only unit tests include this; module.mk links it in from libunit.a, so a
 * test that uses none of it is linked as before.  Nothing here asks the
 * network or writes outside the temporary directories it makes.
 */
#ifndef TEST_UNIT_UNIT_UTIL_H
#define TEST_UNIT_UNIT_UTIL_H

#include <stddef.h>
#include <stdio.h>

#include "libsm/sm_arena.h"
#include "sendmail/cf/config.h"
#include "sendmail/map/map.h"

/* The program-wide directory of unit_dir_setup (empty before it). */
extern char unit_dir[64];

int unit_tmpdir(char *dir, size_t size);
int unit_rmtree(const char *dir);
int unit_dir_setup(void **state);
int unit_dir_teardown(void **state);

struct unit_map_fx {
	char dir[64];       /* the private directory (map files, sockets) */
	struct sm_arena *a; /* freed by unit_map_fx_close */
	struct map_registry *r;
	struct config cf;
	struct macros *mac;
	struct map_ctx ctx;
	char *outbuf; /* what the registry printed (open_memstream) */
	size_t outlen;
	size_t mark; /* where fx_output() stopped last */
	FILE *out;
};

void unit_map_fx_open(struct unit_map_fx *f);
void unit_map_fx_close(struct unit_map_fx *f);
const char *fx_path(const char *name);
const char *fx_output(void);
const char *fx_bt(const char *name, const char *key);

#endif
