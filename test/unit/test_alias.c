/*
 * Unit tests for sendmail/alias: the name rule, the reader (continuation,
 * comments, errors and their line numbers, the line length limit) and the
 * database builder (NUL-terminated keys, "@" sentinel, statistics,
 * duplicates with and without -A, atomic replace on failure).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "libsm/sm_buf.h"
#include "libsmdb/smdb.h"
#include "sendmail/alias/alias.h"
#include "test/unit/unit_util.h"

static void lhs_is(const char *text, const char *want)
{
	struct sm_buf u = SM_BUF_INIT;

	assert_int_equal(alias_default_lhs(NULL, text, &u),
	                 want ? ALIAS_LHS_OK : ALIAS_LHS_ILLEGAL);
	if (want != NULL)
		assert_string_equal(sm_buf_str(&u), want);
	sm_buf_free(&u);
}

static void test_default_lhs(void **state)
{
	(void)state;
	lhs_is("root", "root");
	lhs_is("Foo   Bar", "Foo Bar");
	lhs_is("pa(comment)ren", "pa ren");
	lhs_is("a . b", "a.b");
	lhs_is("\"Quoted Name\"", "\"Quoted Name\"");
	lhs_is("user+detail", "user+detail");
	lhs_is("", NULL);
	lhs_is("(only a comment)", NULL);
	lhs_is("\"unbalanced", NULL);
	lhs_is("a(unbalanced", NULL);
}

/* Collect entries as "key=value@line;" and messages in memory. */
struct collect {
	struct sm_buf got;
};

static int collect_entry(void *arg, const char *key, size_t klen, const char *name,
                         const char *value, size_t vlen, unsigned line)
{
	struct collect *c = arg;

	(void)name;
	sm_buf_append(&c->got, key, klen);
	sm_buf_putc(&c->got, '=');
	sm_buf_append(&c->got, value, vlen);
	sm_buf_printf(&c->got, "@%u;", line);
	return 0;
}

/* Parse text; return entries, put messages in *msgs (caller frees). */
static char *parse(const char *text, char **msgs, struct alias_stats *st)
{
	struct collect c = {SM_BUF_INIT};
	size_t msize;
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	FILE *out = open_memstream(msgs, &msize);
	struct alias_opts o = {.msgs = out};

	memset(st, 0, sizeof(*st));
	assert_int_equal(alias_parse(in, "F", &o, collect_entry, &c, st), 0);
	fclose(in);
	fclose(out);
	return sm_buf_detach(&c.got);
}

static void parse_is(const char *text, const char *entries, const char *messages, int errors)
{
	struct alias_stats st;
	char *msgs;
	char *got = parse(text, &msgs, &st);

	assert_string_equal(got, entries);
	assert_string_equal(msgs, messages);
	assert_int_equal(st.errors, errors);
	free(got);
	free(msgs);
}

static void test_reader(void **state)
{
	(void)state;
	parse_is("Root: a, b\n", "root=a, b@1;", "", 0);
	parse_is("l: a,\n\tb,\n  c\nx: y\n", "l=a,\tb,  c@3;x=y@4;", "", 0);
	parse_is("c: x\\\ny\n", "c=xy@2;", "", 0);
	parse_is("# c\n\tswallowed: x\n\nk: v\r\n", "k=v\r@4;", "", 0);
	parse_is("t: a   \n", "t=a   @1;", "", 0);
	parse_is(" lead: x\n second: y\nok: z\n", "ok=z@3;",
	         "F: line 2: Non-continuation line starts with space\n", 1);
	parse_is("no colon here\n", "", "F: line 1: missing colon\n", 1);
	parse_is("empty:   \n", "", "F: line 1: empty:   ... missing value for alias\n", 1);
	parse_is("\"a:b\": y\n", "\"a:b\"=b\": y@1;", "", 0);
	parse_is("(x): y\n", "", "F: line 1: (x): y... illegal alias name\n", 1);
	parse_is("noeol: x", "noeol=x@1;", "", 0);
}

static void test_reader_long_lines(void **state)
{
	struct sm_buf t = SM_BUF_INIT;
	struct alias_stats st;
	char *msgs, *got;
	int i;

	(void)state;
	sm_buf_puts(&t, "big: ");
	for (i = 0; i < 9000; i++)
		sm_buf_putc(&t, 'x');
	sm_buf_puts(&t, "\n\tmore\nafter: y\nok: ");
	for (i = 0; i < 8185; i++) /* "ok: " + 8185 = 8189 chars + newline fits */
		sm_buf_putc(&t, 'z');
	sm_buf_puts(&t, "\n");
	got = parse(sm_buf_str(&t), &msgs, &st);
	/* the flushed continuation is not counted, as in Sendmail */
	assert_string_equal(msgs, "F: line 1: alias line too long\n");
	assert_non_null(strstr(got, "after=y@2;"));
	assert_non_null(strstr(got, "ok=zzz"));
	assert_int_equal(st.errors, 1);
	free(got);
	free(msgs);
	sm_buf_free(&t);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void get_is(const char *db_path, const char *key, const char *want)
{
	struct sm_buf v = SM_BUF_INIT;
	struct smdb *db;
	int e;

	assert_int_equal(smdb_open(&db, db_path, &e), 0);
	assert_int_equal(smdb_get(db, key, strlen(key) + 1, &v), want != NULL);
	if (want != NULL) {
		assert_int_equal(v.len, strlen(want) + 1);
		assert_string_equal(v.data, want);
	}
	smdb_close(db);
	sm_buf_free(&v);
}

static void test_rebuild(void **state)
{
	char file[256], db[256], spec[300], *msgs;
	size_t msize;
	struct alias_stats st;
	struct alias_opts o = {.announce = 1};
	int status;

	(void)state;
	snprintf(file, sizeof(file), "%s/aliases", unit_dir);
	snprintf(db, sizeof(db), "%s/aliases.db", unit_dir);
	write_file(file, "PostMaster: root\ndup: one\nDup: two\nlist: a,\n b\n");
	o.msgs = open_memstream(&msgs, &msize);
	status = alias_rebuild(file, &o, &st);
	fclose(o.msgs);
	assert_int_equal(status, EX_OK);
	assert_int_equal(st.naliases, 4);
	assert_int_equal(st.longest, 4);
	assert_int_equal(st.bytes, 10 + 4 + 3 + 3 + 3 + 3 + 4 + 4);
	assert_int_equal(st.warnings, 1);
	assert_non_null(strstr(msgs, "line 3: Dup... Warning: duplicate alias name dup\n"));
	assert_non_null(strstr(msgs, ": 4 aliases, longest 4 bytes, 34 bytes total\n"));
	free(msgs);
	get_is(db, "@", "@");
	get_is(db, "postmaster", "root");
	get_is(db, "dup", "two");
	get_is(db, "list", "a, b");
	/* -A merges duplicates */
	snprintf(spec, sizeof(spec), "hash:-A %s", file);
	o.msgs = open_memstream(&msgs, &msize);
	assert_int_equal(alias_rebuild(spec, &o, &st), EX_OK);
	fclose(o.msgs);
	free(msgs);
	get_is(db, "dup", "two,one");
	/* errors: still built, status EX_SOFTWARE */
	write_file(file, "good: x\nbad line\n");
	o.msgs = open_memstream(&msgs, &msize);
	assert_int_equal(alias_rebuild(file, &o, &st), EX_SOFTWARE);
	fclose(o.msgs);
	free(msgs);
	get_is(db, "good", "x");
	get_is(db, "dup", NULL);
	/* a missing file leaves the old database alone */
	unlink(file);
	o.msgs = open_memstream(&msgs, &msize);
	assert_int_equal(alias_rebuild(file, &o, &st), EX_NOINPUT);
	fclose(o.msgs);
	assert_non_null(strstr(msgs, "newaliases: cannot open "));
	free(msgs);
	get_is(db, "good", "x");
	/* non-file classes are skipped */
	assert_int_equal(alias_rebuild("nis:mail.aliases", &o, &st), EX_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_lhs),
	    cmocka_unit_test(test_reader),
	    cmocka_unit_test(test_reader_long_lines),
	    cmocka_unit_test(test_rebuild),
	};

	return cmocka_run_group_tests(tests, unit_dir_setup, unit_dir_teardown);
}
