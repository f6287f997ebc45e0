/*
 * unit_util: the temporary directories and the map fixture of the unit
 * tests (see unit_util.h for who calls what).  Failures inside a test are
 * cmocka assertions; the group setup and teardown return -1 instead, as
 * cmocka wants.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/unit/unit_util.h"

char unit_dir[64];

/* The fixture fx_path, fx_output and fx_bt work on. */
static struct unit_map_fx *current;

/* Make dir (size bytes) a new private directory /tmp/PROG.XXXXXX; 0 or -1. */
int unit_tmpdir(char *dir, size_t size)
{
	snprintf(dir, size, "/tmp/%s.XXXXXX", program_invocation_short_name);
	return mkdtemp(dir) == NULL ? -1 : 0;
}

/* Remove dir and everything in it; 0 or -1. */
int unit_rmtree(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* cmocka group setup: make unit_dir. */
int unit_dir_setup(void **state)
{
	(void)state;
	return unit_tmpdir(unit_dir, sizeof(unit_dir));
}

/* cmocka group teardown: remove unit_dir. */
int unit_dir_teardown(void **state)
{
	(void)state;
	return unit_rmtree(unit_dir);
}

/* Open the map fixture f in a new directory and make it current. */
void unit_map_fx_open(struct unit_map_fx *f)
{
	memset(f, 0, sizeof(*f));
	assert_int_equal(unit_tmpdir(f->dir, sizeof(f->dir)), 0);
	f->a = sm_arena_new();
	f->r = map_registry_new(f->a);
	f->out = open_memstream(&f->outbuf, &f->outlen);
	assert_non_null(f->out);
	map_registry_set_output(f->r, f->out);
	f->mac = macros_new(NULL);
	f->cf.version = 10;
	f->cf.macros = f->mac;
	f->cf.arena = f->a;
	f->ctx.cf = &f->cf;
	f->ctx.macros = f->mac;
	f->ctx.arena = f->a;
	current = f;
}

/* Free everything of f and remove its directory. */
void unit_map_fx_close(struct unit_map_fx *f)
{
	map_registry_free(f->r);
	fclose(f->out);
	free(f->outbuf);
	macros_free(f->mac);
	sm_arena_free(f->a);
	assert_int_equal(unit_rmtree(f->dir), 0);
	if (current == f)
		current = NULL;
}

/* name inside the current fixture's directory (in its arena). */
const char *fx_path(const char *name)
{
	return sm_arena_printf(current->a, "%s/%s", current->dir, name);
}

/* Messages the registry printed since the last call. */
const char *fx_output(void)
{
	struct unit_map_fx *f = current;

	fflush(f->out);
	char *s = sm_arena_strdup(f->a, f->outbuf ? f->outbuf + f->mark : "");
	f->mark = f->outlen;
	return s;
}

/* The -bt "/map" answer for name and key. */
const char *fx_bt(const char *name, const char *key)
{
	fx_output();
	map_bt_lookup(current->r, &current->ctx, current->out, name, key);
	return fx_output();
}
