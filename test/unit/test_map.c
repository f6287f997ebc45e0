/*
 * test_map: unit tests of the map framework and classes (sendmail/map/).
 *
 * Every test builds a registry in a private temporary directory with its
 * own hosts file and service switch ("hosts files": no DNS is ever
 * asked), declares maps from K-line text as the cf reader would, and
 * checks lookups, statuses and the exact messages the reference prints
 * (captured from the registry's output stream).
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

#include "libsm/sm_arena.h"
#include "sendmail/cf/config.h"
#include "sendmail/map/map.h"
#include "test/unit/unit_util.h"

static struct unit_map_fx F;

static void write_file(const char *name, const char *text)
{
	FILE *fp = fopen(fx_path(name), "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static int setup(void **state)
{
	unit_map_fx_open(&F);
	macro_set(F.mac, 'm', "example.com");
	write_file("switch", "hosts files\n");
	write_file("hosts", "127.0.0.1\tlocalhost\n# comment line\n192.0.2.10\tvm.example.com vm\n"
			    "192.0.2.11\tmail.example.com mail # trailing comment\n");
	write_file("t.txt", "k1 v1\nK2 V2 extra\nk3:val3:x\nkp %0-%1-%2-%3-%%-%x-%\n\"q\" quoted\n");
	map_set_option(F.r, "ServiceSwitchFile", fx_path("switch"));
	map_set_option(F.r, "HostsFile", fx_path("hosts"));
	return 0;
}

static int teardown(void **state)
{
	unit_map_fx_close(&F);
	return 0;
}

/* Declare "K" + text at cf line 7; returns map_declare's result. */
static int declare(const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return map_declare(F.r, &F.cf, buf, "x.cf", 7);
}

/* Look key up with up to two $@ arguments; returns the status. */
static enum map_status look(const char *name, const char *key, const char *a1, const char *a2,
			    char **res)
{
	const char *args[2] = {a1, a2};
	struct map *m = map_find(F.r, name);

	assert_non_null(m);
	return map_lookup(m, &F.ctx, key, args, a2 ? 2 : a1 ? 1 : 0, res);
}

/* ---- declarations ---- */

static void test_decl_errors(void **state)
{
	assert_int_equal(declare(""), -1);
	assert_string_equal(fx_output(), "x.cf: line 7: readcf: config K line: no map name\n");
	assert_int_equal(declare("name"), -1);
	assert_string_equal(fx_output(), "x.cf: line 7: readcf: config K line, map name: no map class\n");
	assert_int_equal(declare("n2 nosuchclass"), -1);
	assert_string_equal(fx_output(), "x.cf: line 7: readcf: map n2: class nosuchclass not available\n");
	assert_int_equal(declare("d cdb /x"), -1);
	assert_string_equal(fx_output(), "x.cf: line 7: readcf: map d: class cdb not available\n");
	assert_int_equal(declare("txt text"), -1);
	assert_string_equal(fx_output(), "x.cf: line 7: No file name for text map txt\n");
	assert_int_equal(declare("h hash"), -1);
	assert_string_equal(fx_output(), "x.cf: line 7: No file name for hash map h\n");
	assert_int_equal(map_exit_status(F.r), EX_SOFTWARE);
	assert_string_equal(fx_bt("txt", "x"), "Map named \"txt\" not open\n");
	assert_string_equal(fx_bt("nosuch", "x"), "Map named \"nosuch\" not found\n");
}

static void test_decl_illegal_option(void **state)
{
	char *r;

	assert_int_equal(declare("q text -Q %s", fx_path("t.txt")), -1);
	assert_string_equal(fx_output(), "x.cf: line 7: Illegal option Q map q\n");
	/* the map still works */
	assert_int_equal(look("q", "k1", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "k1");
	/* -k takes the next word when its value is empty */
	assert_int_equal(declare("q2 text -k %s", fx_path("t.txt")), -1);
	assert_string_equal(fx_output(), "x.cf: line 7: No file name for text map q2\n");
	/* classes that ignore unknown flags, and syslog's own wording */
	assert_int_equal(declare("ar arith -Q"), 0);
	assert_int_equal(declare("sl syslog -Q"), -1);
	assert_string_equal(fx_output(), "x.cf: line 7: Illegal option Q map syslog\n");
}

static void test_decl_names(void **state)
{
	char *r;

	assert_int_equal(declare("a.b_c text %s", fx_path("t.txt")), 0);
	assert_non_null(map_find(F.r, "A.B_C"));
	assert_string_equal(map_class_name(map_find(F.r, "a.b_c")), "text");
	/* a second declaration replaces the first */
	assert_int_equal(declare("a.b_c text -m %s", fx_path("t.txt")), 0);
	assert_int_equal(look("a.b_c", "K2", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "K2");
}

/* ---- text maps and the common options ---- */

static void test_text_basic(void **state)
{
	char *r;

	declare("t text %s", fx_path("t.txt"));
	assert_int_equal(look("t", "k1", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "k1"); /* value column defaults to 0 */
	assert_int_equal(look("t", "nosuch", NULL, NULL, &r), MAP_NOTFOUND);
	assert_null(r);
	assert_int_equal(map_last_status(map_find(F.r, "t")), EX_NOHOST);
	/* keys compare without regard to case */
	assert_int_equal(look("t", "k2", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "K2");
	assert_string_equal(fx_bt("t", "K1"), "map_lookup: t (K1) returns k1 (0)\n");
	assert_string_equal(fx_bt("t", "zz"), "map_lookup: t (zz) no match (68)\n");
}

static void test_text_columns(void **state)
{
	char *r;

	declare("tv text -v2 %s", fx_path("t.txt"));
	declare("tz text -z: -k0 -v1 %s", fx_path("t.txt"));
	declare("tz2 text -z: -k 0 -v 2 %s", fx_path("t.txt"));
	assert_int_equal(look("tv", "k2", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "extra");
	assert_int_equal(look("tv", "k1", NULL, NULL, &r), MAP_NOTFOUND);
	assert_int_equal(look("tz", "k3", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "val3");
	assert_int_equal(look("tz2", "k3", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "x");
}

static void test_text_rewrite_args(void **state)
{
	char *r;

	declare("tv text -v1 %s", fx_path("t.txt"));
	assert_int_equal(look("tv", "kp", "A1", "A2", &r), MAP_FOUND);
	assert_string_equal(r, "kp-A1-A2--%-%x-%");
	assert_string_equal(fx_bt("tv", "kp"), "map_lookup: tv (kp) returns kp----%-%x-% (0)\n");
}

static void test_text_append_match_only(void **state)
{
	char *r;

	declare("ta text -v1 -a.APP %s", fx_path("t.txt"));
	declare("tm text -m -a.M -v1 %s", fx_path("t.txt"));
	assert_int_equal(look("ta", "k1", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "v1.APP");
	assert_int_equal(look("tm", "K1", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "K1.M"); /* -m returns the key as given */
}

static void test_text_quotes(void **state)
{
	char *r;

	declare("t text -v1 %s", fx_path("t.txt"));
	declare("tq text -q %s", fx_path("t.txt"));
	/* the key is dequoted before lookup unless -q */
	assert_int_equal(look("t", "\"k1\"", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "v1");
	assert_int_equal(look("tq", "\"k1\"", NULL, NULL, &r), MAP_NOTFOUND);
	assert_int_equal(look("tq", "\"q\"", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "\"q\"");
	/* /map passes the key raw */
	assert_string_equal(fx_bt("t", "\"k1\""), "map_lookup: t (\"k1\") no match (68)\n");
}

static void test_text_missing(void **state)
{
	char *r;

	declare("tm text %s", fx_path("nosuch"));
	declare("to text -o %s", fx_path("nosuch"));
	fx_output();
	assert_int_equal(look("tm", "x", NULL, NULL, &r), MAP_TEMPFAIL);
	assert_string_equal(fx_output(),
			    sm_arena_printf(F.a, "text map \"tm\": unsafe map file %s\n",
					    fx_path("nosuch")));
	assert_int_equal(look("tm", "x", NULL, NULL, &r), MAP_TEMPFAIL);
	assert_string_equal(fx_output(), ""); /* said once */
	assert_int_equal(look("to", "x", NULL, NULL, &r), MAP_UNAVAIL);
	assert_string_equal(fx_output(), "");
	assert_string_equal(fx_bt("to", "x"), "Map named \"to\" not open\n");
	assert_int_equal(map_exit_status(F.r), 0);
}

/* ---- database files ---- */

static void test_hash_missing(void **state)
{
	char *r;
	const char *db = fx_path("nosuch.db");

	declare("h hash -T<TMP> %s", fx_path("nosuch"));
	declare("ho hash -o %s", fx_path("nosuch"));
	declare("ht hash -t %s", fx_path("nosuch"));
	declare("htt btree -t -T<T> %s", fx_path("nosuch"));
	assert_string_equal(fx_bt("h", "x"),
			    sm_arena_printf(F.a, "hash map \"h\": missing map file %s: No such file "
						 "or directory\nmap_lookup: h (x) no match (75)\n", db));
	assert_int_equal(map_exit_status(F.r), EX_OSERR);
	assert_int_equal(look("h", "\"foo\"", NULL, NULL, &r), MAP_TEMPFAIL);
	assert_string_equal(r, "foo<TMP>");
	assert_int_equal(look("ho", "x", NULL, NULL, &r), MAP_UNAVAIL);
	assert_string_equal(fx_bt("ho", "x"), "Map named \"ho\" not open\n");
	fx_output();
	assert_int_equal(look("ht", "x", NULL, NULL, &r), MAP_NOTFOUND);
	assert_int_equal(look("htt", "x", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "x<T>");
	assert_string_equal(fx_output(), sm_arena_printf(F.a,
		"hash map \"ht\": missing map file %s: No such file or directory\n"
		"btree map \"htt\": missing map file %s: No such file or directory\n", db, db));
}

static void test_hash_unreadable(void **state)
{
	write_file("bad.db", "junk\n");
	declare("h hash %s", fx_path("bad"));
	assert_string_equal(fx_bt("h", "x"), sm_arena_printf(F.a,
		"Cannot open hash database %s: Invalid argument\nmap_lookup: h (x) no match (75)\n",
		fx_path("bad.db")));
}

static void test_implicit_and_aliases(void **state)
{
	write_file("aliases", "root: admin\nlist: a, b,\n  c\n");
	declare("imp implicit %s", fx_path("nosuch"));
	assert_string_equal(fx_bt("imp", "x"), "map_lookup: imp (x) no match (75)\n");
	map_set_option(F.r, "AliasFile", fx_path("aliases"));
	map_registry_finish(F.r, &F.cf);
	const char *want = sm_arena_printf(F.a,
		"map_lookup: aliases (root) WARNING: cannot open alias database %s; reading text "
		"version\n%s: 2 aliases, longest 8 bytes, 21 bytes total\nreturns admin (0)\n",
		fx_path("aliases"), fx_path("aliases"));
	assert_string_equal(fx_bt("aliases", "root"), want);
	assert_string_equal(fx_bt("aliases", "list"), "map_lookup: aliases (list) returns a, b,  c (0)\n");
	assert_string_equal(fx_bt("aliases", "x"), "map_lookup: aliases (x) no match (68)\n");
}

static void test_defer(void **state)
{
	char *r;

	declare("t text -D %s", fx_path("t.txt"));
	map_set_deferred(F.r, true);
	assert_int_equal(look("t", "k1", NULL, NULL, &r), MAP_TEMPFAIL);
	assert_null(r);
	map_set_deferred(F.r, false);
	assert_int_equal(look("t", "k1", NULL, NULL, &r), MAP_FOUND);
}

/* ---- classes without files ---- */

static void test_dequote(void **state)
{
	char *r;

	declare("dq dequote");
	declare("dqs dequote -s+ -a.A");
	assert_int_equal(look("dq", "\"ab\"", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "ab");
	assert_int_equal(look("dq", "ab", NULL, NULL, &r), MAP_NOTFOUND);
	assert_int_equal(look("dq", "\"a b\"", NULL, NULL, &r), MAP_NOTFOUND);
	assert_int_equal(look("dq", "\"a\"(c)", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "a(c)");
	assert_int_equal(look("dq", "\"a\\\"b\"", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "a\\\"b");
	assert_int_equal(look("dq", "\"a>\"", NULL, NULL, &r), MAP_NOTFOUND);
	assert_int_equal(look("dq", "\"a", NULL, NULL, &r), MAP_NOTFOUND);
	assert_int_equal(look("dqs", "\" a \"", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "+a+.A");
	assert_string_equal(fx_bt("dq", "\"a b\""), "map_lookup: dq (\"a b\") no match (0)\n");
}

static void test_arith(void **state)
{
	static const struct {
		const char *op, *a, *b, *want;
	} cases[] = {
		{"+", "3", "4", "7"},     {"-", "3", "4", "-1"},   {"*", "3", "4", "12"},
		{"/", "7", "2", "3"},     {"%", "7", "3", "1"},    {"l", "3", "4", "TRUE"},
		{"l", "4", "3", "FALSE"}, {"=", "4", "4", "TRUE"}, {"|", "5", "2", "7"},
		{"&", "5", "3", "1"},     {"+", "0x10", "010", "24"}, {"+", "12abc", "1", "13"},
		{"++", "1", "2", "3"},    {"r", "3", "3", "3"},
		{"+", "99999999999999999999", "0", "922337203685477"},
	};
	char *r;

	declare("ar arith");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(look("ar", cases[i].op, cases[i].a, cases[i].b, &r), MAP_FOUND);
		assert_string_equal(r, cases[i].want);
	}
	assert_int_equal(look("ar", "/", "7", "0", &r), MAP_NOTFOUND);
	assert_int_equal(map_last_status(map_find(F.r, "ar")), EX_CONFIG);
	assert_int_equal(look("ar", "%", "7", "0", &r), MAP_NOTFOUND);
	assert_int_equal(look("ar", "/", "-9223372036854775808", "-1", &r), MAP_NOTFOUND);
	assert_int_equal(look("ar", "x", "1", "2", &r), MAP_NOTFOUND);
	assert_int_equal(look("ar", "r", "5", "3", &r), MAP_NOTFOUND);
	assert_int_equal(look("ar", "+", "1", NULL, &r), MAP_NOTFOUND);
	assert_string_equal(fx_bt("ar", "+"), "map_lookup: ar (+) no match (78)\n");
}

static void test_macro(void **state)
{
	char *r;

	declare("mac macro");
	assert_int_equal(look("mac", "{xx}", "hello world", NULL, &r), MAP_FOUND);
	assert_string_equal(r, "");
	assert_string_equal(macro_get(F.mac, macro_id("{xx}")), "hello world");
	assert_int_equal(look("mac", "{xx}", NULL, NULL, &r), MAP_FOUND);
	assert_null(macro_get(F.mac, macro_id("{xx}")));
	assert_int_equal(look("mac", "zq", "v", NULL, &r), MAP_FOUND);
	assert_string_equal(macro_get(F.mac, 'z'), "v"); /* one letter without braces */
}

static void test_null_user_arpa_syslog(void **state)
{
	char *r;

	declare("nl null");
	declare("usr user");
	declare("usrv user -vdir");
	declare("arpa arpa");
	declare("sl syslog");
	assert_string_equal(fx_bt("nl", "x"), "map_lookup: nl (x) no match (68)\n");
	assert_string_equal(fx_bt("usr", "root"), "map_lookup: usr (root) returns root (0)\n");
	assert_string_equal(fx_bt("usrv", "root"), "map_lookup: usrv (root) returns /root (0)\n");
	assert_string_equal(fx_bt("usr", "nosuchuser.x"), "map_lookup: usr (nosuchuser.x) no match (67)\n");
	assert_string_equal(fx_bt("arpa", "1.2.3.4"), "map_lookup: arpa (1.2.3.4) returns 4.3.2.1 (0)\n");
	assert_string_equal(fx_bt("arpa", "1.2.3"), "map_lookup: arpa (1.2.3) no match (65)\n");
	assert_int_equal(look("arpa", "IPv6:::1", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0");
	assert_string_equal(fx_bt("sl", "hello"), "map_lookup: sl (hello) returns  (0)\n");
}

/* ---- sequence and switch ---- */

static void test_sequence(void **state)
{
	char *r;

	write_file("t2.txt", "zz from2\n");
	declare("t1 text -v1 %s", fx_path("t.txt"));
	declare("t2 text -v1 %s", fx_path("t2.txt"));
	assert_int_equal(declare("seq sequence t1 nosuch,t2"), -1);
	assert_string_equal(fx_output(), "x.cf: line 7: Sequence map seq: unknown member map nosuch\n");
	assert_int_equal(look("seq", "k1", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "v1");
	assert_int_equal(look("seq", "zz", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "from2");
	assert_string_equal(fx_bt("seq", "none"), "map_lookup: seq (none) no match (68)\n");
	/* a temp-failing member makes the whole lookup temp-fail */
	declare("hm hash %s", fx_path("nosuch"));
	declare("seq2 sequence t1 hm");
	assert_int_equal(look("seq2", "none", NULL, NULL, &r), MAP_TEMPFAIL);
}

static void test_switch(void **state)
{
	char *r;

	write_file("switch", "hosts files\nmysvc files nis\n");
	declare("sw switch mysvc");
	declare("sw.files text -v1 %s", fx_path("t.txt"));
	declare("sw2 switch nosuchservice");
	declare("sw3 switch hosts");
	assert_int_equal(declare("sw4 switch"), -1);
	assert_string_equal(fx_output(), "x.cf: line 7: No file name for switch map sw4\n");
	assert_int_equal(look("sw", "k1", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(fx_output(), "Switch map sw: unknown member map sw.nis\n");
	assert_string_equal(r, "v1");
	assert_string_equal(fx_bt("sw2", "x"), "map_lookup: sw2 (x) no match (75)\n");
	assert_string_equal(fx_bt("sw3", "vm"), "Switch map sw3: unknown member map sw3.files\n"
					        "map_lookup: sw3 (vm) no match (68)\n");
	/* built-in aliases switch: "aliases files" by default, no alias files */
	map_registry_finish(F.r, &F.cf);
	assert_string_equal(fx_bt("aliases", "root"), "map_lookup: aliases (root) no match (68)\n");
}

/* ---- host ---- */

static void test_host_files(void **state)
{
	char *r;

	map_registry_finish(F.r, &F.cf);
	declare("resolve host -a<OKR> -T<TEMP>");
	assert_string_equal(fx_bt("host", "vm"), "map_lookup: host (vm) returns vm.example.com. (0)\n");
	assert_string_equal(fx_bt("host", "VM.Example.COM."),
			    "map_lookup: host (VM.Example.COM.) returns vm.example.com. (0)\n");
	assert_string_equal(fx_bt("host", "mail"), "map_lookup: host (mail) returns mail.example.com. (0)\n");
	assert_string_equal(fx_bt("host", "localhost"),
			    "map_lookup: host (localhost) returns localhost.example.com. (0)\n");
	assert_string_equal(fx_bt("host", "comment"), "map_lookup: host (comment) no match (68)\n");
	assert_string_equal(fx_bt("host", "nosuch"), "map_lookup: host (nosuch) no match (68)\n");
	assert_string_equal(fx_bt("host", "[1.2.3"), "map_lookup: host ([1.2.3) no match (0)\n");
	assert_int_equal(look("resolve", "vm", NULL, NULL, &r), MAP_FOUND);
	assert_string_equal(r, "vm.example.com<OKR>");
	assert_int_equal(look("resolve", "nosuch", NULL, NULL, &r), MAP_NOTFOUND);
	/* level 1: no trailing dot from the built-in host map */
	struct map_registry *r1 = map_registry_new(F.a);
	struct config c1 = F.cf;
	c1.version = 1;
	map_set_option(r1, "ServiceSwitchFile", fx_path("switch"));
	map_set_option(r1, "HostsFile", fx_path("hosts"));
	map_registry_finish(r1, &c1);
	assert_int_equal(map_lookup(map_find(r1, "host"), &F.ctx, "vm", NULL, 0, &r), MAP_FOUND);
	assert_string_equal(r, "vm.example.com");
}

static void test_canon_mx(void **state)
{
	fx_output();
	map_bt_canon(F.r, &F.ctx, F.out, "vm");
	map_bt_canon(F.r, &F.ctx, F.out, "nosuch.example");
	map_bt_canon(F.r, &F.ctx, F.out, "localhost");
	map_bt_mx(F.r, &F.ctx, F.out, "example.net");
	assert_string_equal(fx_output(), "getcanonname(vm) returns vm.example.com\n"
				         "getcanonname(nosuch.example) returns nosuch.example\n"
				         "getcanonname(localhost) returns localhost.example.com\n"
				         "getmxrr(example.net) returns 0 value(s):\n");
}

/* ---- regex and program ---- */

static void test_regex(void **state)
{
	declare("re regex ^a.*");
	declare("re2 regex -s1,2 -d: ^(a+)(b*)c");
	declare("re3 regex -n -a.X ^a");
	declare("re4 regex -f -s2 ^(a+)(b*)c");
	declare("re5 regex -m -a.M ^a");
	assert_string_equal(fx_bt("re", "ABC"), "map_lookup: re (ABC) returns  (0)\n");
	assert_string_equal(fx_bt("re", "xbc"), "map_lookup: re (xbc) no match (0)\n");
	assert_string_equal(fx_bt("re2", "aabbc"), "map_lookup: re2 (aabbc) returns aa:bb (0)\n");
	assert_string_equal(fx_bt("re3", "xbc"), "map_lookup: re3 (xbc) returns .X (0)\n");
	assert_string_equal(fx_bt("re3", "abc"), "map_lookup: re3 (abc) no match (0)\n");
	assert_string_equal(fx_bt("re4", "AAbC"), "map_lookup: re4 (AAbC) no match (0)\n");
	assert_string_equal(fx_bt("re5", "abc"), "map_lookup: re5 (abc) returns abc.M (0)\n");
	assert_int_equal(declare("bad regex a("), -1);
	assert_string_equal(fx_output(),
			    "x.cf: line 7: pattern-compile-error: Unmatched ( or \\(\n");
	assert_int_equal(declare("bad2 regex -s1 x"), -1);
	assert_string_equal(fx_output(),
			    "x.cf: line 7: field (1) out of range, only 1 substrings in pattern\n");
}

static void test_program(void **state)
{
	assert_int_equal(declare("prog program /bin/echo hi"), 0);
	assert_string_equal(fx_bt("prog", "key"), "map_lookup: prog (key) returns hi key (0)\n");
	assert_int_equal(declare("p2 program"), -1);
	assert_string_equal(fx_output(), "x.cf: line 7: No file name for program map p2\n");
}

static void test_unreachable_classes(void **state)
{
	declare("n nis x");
	assert_string_equal(fx_bt("n", "k"), "NIS map x specified, but NIS not running\n"
					     "map_lookup: n (k) no match (75)\n");
	assert_int_equal(declare("l ldap -b dc=x"), -1);
	assert_string_equal(fx_output(), "x.cf: line 7: No filter given in map l\n");
	assert_int_equal(declare("d dns"), -1);
	assert_string_equal(fx_output(), "x.cf: line 7: dns map d: missing -R type\n");
	declare("s socket local:%s", fx_path("nosock"));
	assert_string_equal(fx_bt("s", "k"), sm_arena_printf(F.a,
		"socket map \"s\": local socket name %s unsafe: No such file or directory\n"
		"map_lookup: s (k) no match (75)\n", fx_path("nosock")));
	declare("b bestmx");
	assert_string_equal(fx_bt("b", "example.net"),
			    "map_lookup: b (example.net) no match (0)\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_decl_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decl_illegal_option, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decl_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_basic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_rewrite_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_append_match_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_quotes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hash_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hash_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_implicit_and_aliases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dequote, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arith, setup, teardown),
		cmocka_unit_test_setup_teardown(test_macro, setup, teardown),
		cmocka_unit_test_setup_teardown(test_null_user_arpa_syslog, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sequence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_switch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_canon_mx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regex, setup, teardown),
		cmocka_unit_test_setup_teardown(test_program, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreachable_classes, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
