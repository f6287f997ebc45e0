/*
 * test_cf_read: the sendmail.cf reader against the messages and results
 * the reference Sendmail 8.17.1.9 gives (each expected text below was
 * observed with `refsendmail run sendmail -C x.cf -bt`).
 *
 * Every case is a cf body; the test writes "V10/Berkeley", the body and a
 * local mailer to x.cf in a private directory (so line 2 is the body's
 * first line), reads it with readcf() with the diagnostics captured, and
 * compares the messages ("x.cf: line N: " prefixes included) and the exit
 * status the errors imply.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/diag.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/cf/options.h"

static char dir[64];

static const char LOCAL[] = "Mlocal, P=/bin/true, F=lsDFM, A=true $u\n";

struct loaded {
	struct config *cf;
	char *diag;
};

/* Write "V10", body (and the local mailer unless bare) and read it. */
static struct loaded load(const char *first, const char *body, bool with_local)
{
	char path[128];
	struct loaded l;
	size_t n;
	FILE *out;

	snprintf(path, sizeof(path), "%s/x.cf", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "%s\n%s%s", first, body, with_local ? LOCAL : "");
	fclose(fp);
	assert_int_equal(chdir(dir), 0);
	out = open_memstream(&l.diag, &n);
	cf_diag_stream(out);
	l.cf = readcf("x.cf", false);
	fclose(out);
	cf_diag_stream(NULL);
	return l;
}

struct err_case {
	const char *body;
	const char *diag;
	int status;
};

static const struct err_case ERRS[] = {
	{"R$*\t$@ $1\n", "x.cf: line 2: missing valid ruleset for \"R\001*\t\001@ \0011\"\n", 70},
	{"Sfoo\nR$*\n", "x.cf: line 3: invalid rewrite line \"R\001*\" (tab expected)\n", 70},
	{"Sfoo\nR$*\t$@ $2\n", "x.cf: line 3: replacement $2 out of bounds\n", 70},
	{"Sfoo\nR$* $+\t$@ $3 $1\n", "x.cf: line 3: replacement $3 out of bounds\n", 70},
	{"Sfoo\nR\t$@ x\n", "x.cf: line 3: R line: null LHS\n", 70},
	{"S100\n", "x.cf: line 2: bad ruleset 100 (100 max)\n", 70},
	{"S-1\n", "x.cf: line 2: invalid ruleset name: \"-1\"\n", 70},
	{"S\n", "x.cf: line 2: invalid ruleset name: \"\"\n", 70},
	{"Sfoo=200\n", "x.cf: line 2: bad ruleset number 200 in \"foo=200\" (100 max)\n", 70},
	{"Sfoo=abc\n",
	 "x.cf: line 2: bad ruleset definition \"foo=abc\" (number required after `=')\n", 70},
	{"Sfoo\nR$*\t$@ a\nSfoo=5\nR$*\t$@ b\n",
	 "x.cf: line 4: foo=5: ruleset changed value (old 199, new 5)\n"
	 "WARNING: Ruleset foo=5 has multiple definitions\n", 70},
	{"Sfoo=5\nR$*\t$@ a\nSbar=5\nR$*\t$@ b\n",
	 "WARNING: Ruleset bar=5 has multiple definitions\n", 70},
	{"Sfoo\nR$*\t$: $>bar $1\nSbar=5\nR$*\t$@ b\n", "", 0},
	{"Sfoo\nR$: x\t$@ 1\nR$> x\t$@ 1\nR$[ x $]\t$@ 1\nR$1\t$@ 1\nR$&X\t$@ 1\nR$#\t$@ 1\n",
	 "x.cf: line 3: Inappropriate use of $: on LHS\n"
	 "x.cf: line 4: Inappropriate use of $> on LHS\n"
	 "x.cf: line 5: Inappropriate use of $[ on LHS\n"
	 "x.cf: line 5: Inappropriate use of $] on LHS\n"
	 "x.cf: line 6: Inappropriate use of $1-$9 on LHS\n", 70},
	{"Sfoo\nRx\t$* $+ $- $=w $~w\nRx\t$( a $( b $) $)\nRx\t$( a b\nRx\t$0\n"
	 "R$* $* $* $* $* $* $* $* $* $*\tx\n",
	 "x.cf: line 3: Inappropriate use of $* on RHS\n"
	 "x.cf: line 3: Inappropriate use of $+ on RHS\n"
	 "x.cf: line 3: Inappropriate use of $- on RHS\n"
	 "x.cf: line 3: Inappropriate use of $= on RHS\n"
	 "x.cf: line 3: Inappropriate use of $~ on RHS\n"
	 "x.cf: line 4: cannot nest map lookups\n"
	 "x.cf: line 5: missing map closing token\n"
	 "x.cf: line 6: replacement $0 out of bounds\n"
	 "x.cf: line 7: R line: too many wildcards\n", 70},
	{"Vabc\n", "x.cf: line 2: invalid argument to V line: \"abc\"\n", 70},
	{"V10/Foo\n", "x.cf: line 2: invalid V line vendor code: \"Foo\"\n", 70},
	{"Afoo\n bar\n", "x.cf: line 3: unknown configuration line \"Afoo\n bar\"\n", 70},
	{"Pfoo\n", "x.cf: line 2: unknown configuration line \"Pfoo\"\n", 70},
	{"Hfoo\n", "x.cf: line 2: header syntax error, line \"foo\"\n", 70},
	{"H?xyz\n", "x.cf: line 2: header syntax error, line \"?xyz\"\n", 70},
	{"C\n", "x.cf: line 2: Name required for macro/class\n", 70},
	{"D{foo\n", "x.cf: line 2: Unbalanced { on foo\n"
		    "x.cf: line 2: Unable to assign macro/class ID (mid = 0xffffffff)\n", 70},
	{"Q\n", "x.cf: line 2: name required for queue\n", 70},
	{"Xfoo\n", "x.cf: line 2: Xfoo: empty or missing socket information\n", 70},
	{"Xm, S=inet:1@localhost, Q=x\n", "x.cf: line 2: Xm: unknown filter equate Q=\n", 70},
	{"Xfoo,\n\tS=inet:1@localhost,\n\tQ=1\n", "x.cf: line 4: Xfoo: unknown filter equate Q=\n",
	 70},
	{"Mfoo\n", "x.cf: line 2: Mfoo: A= argument required\n", 70},
	{"Mfoo, A=x\n", "x.cf: line 2: Mfoo: P= argument required\n", 70},
	{"Mfoo, P=[TCP], A=x\n", "x.cf: line 2: Mfoo: P=[TCP] must be replaced by P=[IPC]\n", 70},
	{"Mfoo, P=[IPC], A=x\n", "x.cf: line 2: Mfoo: too few parameters for [IPC] mailer\n", 70},
	{"Mfoo, P=[FILE], A=x\n", "x.cf: line 2: Mfoo: too few parameters for [FILE] mailer\n",
	 70},
	{"Mfoo, P=/bin/x, A=x, Z=3\n", "x.cf: line 2: Mfoo: unknown mailer equate Z=\n", 70},
	{"Mfoo, P=/bin/x, A=x, S=100\n", "x.cf: line 2: bad ruleset 100 (100 max)\n", 70},
	{"Mfoo, P=/bin/x, A=x, Q=qq\n", "x.cf: line 2: mailer foo: unknown queue qq\n", 70},
	{"M, P=/x, A=y\n", "x.cf: line 2: name required for mailer\n", 70},
	{"O Foobar=1\n", "x.cf: line 2: readcf: unknown option name Foobar\n", 70},
	{"O Tim=1\n",
	 "x.cf: line 2: readcf: ambiguous option name Tim (matches Timeout and TimeZoneSpec)\n", 70},
	{"O Ma=1\n",
	 "x.cf: line 2: readcf: ambiguous option name Ma (matches MatchGECOS and MaxHopCount)\n",
	 70},
	{"O SevenBit\n", "x.cf: line 2: Option SevenBit used as abbreviation for SevenBitInput\n",
	 0},
	{"O sevenbitinput=True\n", "", 0},
	{"O\n", "x.cf: line 2: readcf: unknown option name 0x0\n", 70},
	{"O-\n", "x.cf: line 2: readcf: unknown option name 0x2d\n", 70},
	{"O\tLogLevel=3\n", "x.cf: line 2: readcf: unknown option name 0x9\n", 70},
	{"O =x\n", "x.cf: line 2: readcf: null option name\n", 70},
	{"O DANE=True\n", "x.cf: line 2: readcf: unknown option name DANE\n", 70},
	{"O SMTPUTF8=True\n", "x.cf: line 2: readcf: option: SmtpUTF8 set but no USE_EAI support\n",
	 70},
	{"O Timeout.foo=3\n", "x.cf: line 2: settimeout: invalid timeout foo\n", 70},
	{"O Timeout.queuereturn.foo=1m\n",
	 "x.cf: line 2: settimeout: invalid timeout queuereturn.foo\n", 70},
	{"O Timeout.queuereturn=1d\nO Timeout=1m\nO Milter.LogLevel=3\nOMxfoo\nOg1\nOZ1\n", "", 0},
	{"O MaxMimeHeaderLength=100/10\n",
	 "Warning: MaxMimeHeaderLength: header length limit set lower than 128\n"
	 "Warning: MaxMimeHeaderLength: field length limit set lower than 40\n", 0},
	{"O MaxHeadersLength=100\n",
	 "Warning: MaxHeadersLength: headers length limit set lower than 16384\n", 0},
	{"O OperatorChars=.:@\nSfoo\nO OperatorChars=.:@\n",
	 "Warning: OperatorChars is being redefined.\n"
	 "         It should only be set before ruleset definitions.\n", 0},
	{"O QueueSortOrder=x\n", "x.cf: line 2: Invalid queue sort order \"x\"\n", 70},
	{"O NoRecipientAction=x\n", "x.cf: line 2: Invalid NoRecipientAction: x\n", 70},
	{"O DontBlameSendmail=foo\n",
	 "x.cf: line 2: readcf: DontBlameSendmail option: foo unrecognized\n", 70},
	{"O PrivacyOptions=foo\n", "x.cf: line 2: readcf: Op line: foo unrecognized\n", 70},
	{"O ResolverOptions=foo\n", "x.cf: line 2: readcf: I option value foo unrecognized\n", 70},
	{"O ResolverOptions=+AAONLY -usevc HasWildcardMX\n", "", 0},
	{"O DefaultUser=nosuchuser\n", "x.cf: line 2: readcf: option u: unknown user nosuchuser\n",
	 70},
	{"O RunAsUser=nosuchuser\n",
	 "x.cf: line 2: readcf: option RunAsUser: unknown user nosuchuser\n", 70},
	{"O TrustedUser=nosuchuser\n",
	 "x.cf: line 2: readcf: option TrustedUser: unknown user nosuchuser\n", 70},
	{"O MinQueueAge=5x\n", "x.cf: line 2: Invalid time unit `x'\n", 0},
	{"O ConnectOnlyTo=foo\n",
	 "x.cf: line 2: readcf: option ConnectOnlyTo: invalid IP address foo\n", 70},
	{"FG\n", "x.cf: line 2: fileclass: missing file name\n", 70},
	{"FA/nonexistent/x\n",
	 "x.cf: line 2: fileclass: cannot open '/nonexistent/x': No such file or directory\n", 71},
	{"FC-o /nonexist\nFD -o /nonexist\n", "", 0},
	{"FI@nosuch:x\n", "x.cf: line 2: fileclass: F{I}: class nosuch not available\n", 70},
	{"DXfoo # bar\nDYa\\#b\nDWa$#b\n", "", 0},
};

static void test_error_messages(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ERRS) / sizeof(ERRS[0]); i++) {
		struct loaded l = load("V10/Berkeley", ERRS[i].body, true);
		if (strcmp(l.diag, ERRS[i].diag) != 0 || l.cf->exitstat != ERRS[i].status)
			fail_msg("case %zu (%s): got status %d, messages:\n%s\nwant %d:\n%s", i,
				 ERRS[i].body, l.cf->exitstat, l.diag, ERRS[i].status, ERRS[i].diag);
		free(l.diag);
		config_free(l.cf);
	}
}

static void test_version_warnings(void **state)
{
	(void)state;
	struct loaded l = load("V11", "", true);
	assert_string_equal(l.diag, "Warning: .cf version level (11) exceeds sendmail version "
				    "8.17.1.9 functionality (10)\n");
	assert_int_equal(l.cf->exitstat, 70);
	free(l.diag);
	config_free(l.cf);
	l = load("V9", "", true);
	assert_string_equal(l.diag, "Warning: .cf file is out of date: sendmail 8.17.1.9 supports "
				    "version 10, .cf file is version 9\n");
	assert_int_equal(l.cf->exitstat, 0);
	free(l.diag);
	config_free(l.cf);
	/* without a V line the level is 0 and '#' is not a comment */
	l = load("DXfoo # bar", "", true);
	assert_string_equal(macro_get(l.cf->macros, 'X'), "foo # bar");
	free(l.diag);
	config_free(l.cf);
	l = load("V10", "", false);
	assert_string_equal(l.diag, "No local mailer defined\n");
	assert_int_equal(l.cf->exitstat, 70);
	free(l.diag);
	config_free(l.cf);
}

static char *dump_rs(struct config *cf, const char *name)
{
	char *buf;
	size_t n;
	FILE *fp = open_memstream(&buf, &n);
	config_print_ruleset(cf, config_ruleset(cf, config_ruleset_number(cf, name, false)), fp);
	fclose(fp);
	return buf;
}

static void test_rules_and_macros(void **state)
{
	(void)state;
	struct loaded l = load("V10/Berkeley",
			       "DXhello\nDY$X world\nD{Long}$Y! $$ $&X\n"
			       "Stest\nR$* $| $*\t$: $1 $X\nR$?X a $| b $.\t$@ x\nR$+\t$@ $&X $Y\n"
			       "S1\nR$+\t$@ foo\t# comment\nR$+ \\# foo\t$@ bar$#x\n"
			       "R $+\t$@ cont\n\tinued\nR$*\n\t$@ x\n"
			       "Cw a$X b\nSfoo$X\nR$*\t$@ 1\n",
			       true);
	assert_string_equal(l.diag, "");
	assert_string_equal(macro_get(l.cf->macros, 'Y'), "$X world");
	struct sm_buf b = SM_BUF_INIT;
	macro_value_print(macro_get(l.cf->macros, macro_id("{Long}")), &b);
	assert_string_equal(sm_buf_str(&b), "$Y! $ $&X");
	sm_buf_free(&b);
	char *s = dump_rs(l.cf, "test");
	assert_string_equal(s, "R$* $| $* \t\t$: $1 hello \nRa \t\t$@ x \nR$+ \t\t$@ $&X hello world \n");
	free(s);
	s = dump_rs(l.cf, "1");
	assert_string_equal(s, "R$+ \t\t$@ foo \nR$+ # foo \t\t$@ bar $# x \nR$+ \t\t$@ cont \n"
			       "R$* \t\t$@ x \n");
	free(s);
	assert_true(class_member(l.cf->classes, 'w', "ahello"));
	assert_true(config_ruleset_number(l.cf, "foohello", false) >= 100);
	free(l.diag);
	config_free(l.cf);
}

/*
 * Named rulesets are numbered from 199 down when their S line is read
 * (never when a rule mentions them), taking the highest number no name
 * holds; forward $>name references are bound once the file is read.
 * Numbers observed with the reference binary.
 */
static void test_ruleset_numbering(void **state)
{
	(void)state;
	struct loaded l = load("V10",
			       "Sfoo\nR$*\t$: $>bar $1\nR$*\t$: $>qux $1\nR$*\t$: $>\"qq\" $1\n"
			       "Sbar=50\nR$*\t$@ b\nSbaz\nR$*\t$@ z\nSqux\nR$*\t$@ q\n"
			       "Szed=60\nSyy\nR$*\t$: $>zed $>ww $1\nSww\nSvv=70\nSuu\nSqq\n",
			       true);
	static const struct {
		const char *name;
		int number;
	} want[] = {{"foo", 199}, {"bar", 50},	{"baz", 198}, {"qux", 197}, {"zed", 60},
		    {"yy", 196},  {"ww", 195},	{"vv", 70},   {"uu", 194},  {"qq", 193}};

	assert_string_equal(l.diag, "");
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(config_ruleset_number(l.cf, want[i].name, false), want[i].number);
	/* The forward reference in foo now calls bar's final number. */
	const struct ruleset *foo = config_ruleset(l.cf, 199);
	assert_non_null(foo);
	assert_int_equal(foo->rules[0].rhs[1].kind, TK_CALL);
	assert_int_equal(foo->rules[0].rhs[1].arg, 50);
	free(l.diag);
	config_free(l.cf);
}

static char *dump_mailers(struct config *cf)
{
	char *buf;
	size_t n;
	FILE *fp = open_memstream(&buf, &n);
	mailer_print_all(cf, fp);
	fclose(fp);
	return buf;
}

static void test_mailers(void **state)
{
	(void)state;
	struct loaded l = load(
		"V10/Berkeley",
		"Mfoo, P=/bin/x, F=abc, S=1/2, R=3, E=\\r\\n, A=x y z, M=1000, L=500, D=$z:/, "
		"U=mail:mail, C=iso-8859-1, T=A/B/C, N=5, W=10m, m=5, r=20, /=/var/root\n"
		"Mbar, P=[IPC], F=, A=TCP $h, U=1:2\n"
		"Mbaz, P=/bin/y, A=y,\n\tF=xy, E=\\n\n"
		"Mprog, P=[IPC], F=lmDFMuXk5, A=TCP $h\n",
		true);
	assert_string_equal(l.diag, "");
	char *s = dump_mailers(l.cf);
	assert_string_equal(
		s,
		"mailer 0 (prog): P=[IPC] S=0/0 R=0/0 M=0 U=-1:-1 F=5DFMXklu L=0 E=\\r\\n "
		"T=dns/rfc822/smtp r=100 A=TCP $h\n"
		"mailer 1 (*file*): P=[FILE] S=0/0 R=0/0 M=0 U=-1:-1 F=9DEFMPloqsu L=0 E=\\n "
		"T=X-Unix/X-Unix/X-Unix r=100 A=FILE $u\n"
		"mailer 2 (*include*): P=/dev/null S=0/0 R=0/0 M=0 U=-1:-1 F=su L=0 E=\\n "
		"T=<undefined>/<undefined>/<undefined> r=100 A=INCLUDE $u\n"
		"mailer 3 (foo): P=/bin/x S=1/2 R=3/3 M=1000 U=8:8 F=abc L=500 E=\\r\\n "
		"C=iso-8859-1 T=A/B/C r=20 A=x y z\n"
		"mailer 4 (bar): P=[IPC] S=0/0 R=0/0 M=0 U=1:2 F= L=0 E=\\r\\n T=dns/rfc822/smtp "
		"r=100 A=TCP $h\n"
		"mailer 5 (baz): P=/bin/y S=0/0 R=0/0 M=0 U=-1:-1 F=xy L=0 E=\\n "
		"T=<undefined>/<undefined>/<undefined> r=100 A=y\n"
		"mailer 6 (local): P=/bin/true S=0/0 R=0/0 M=0 U=-1:-1 F=DFMls L=0 E=\\n "
		"T=<undefined>/<undefined>/<undefined> r=100 A=true $u\n");
	free(s);
	free(l.diag);
	config_free(l.cf);
}

/* Without E=, a mailer whose A= has no $u speaks SMTP/LMTP: \r\n (as observed). */
static void test_mailer_eol_default(void **state)
{
	(void)state;
	struct loaded l = load("V10/Berkeley",
			       "Mfoo, P=/bin/x, A=mail.local -l\nMbar, P=/bin/x, A=deliver $u\n"
			       "Mlmtp, P=[IPC], A=FILE /var/run/lmtp\n",
			       true);
	assert_string_equal(l.diag, "");
	assert_string_equal(mailer_find(l.cf, "foo")->eol, "\r\n");
	assert_string_equal(mailer_find(l.cf, "bar")->eol, "\n");
	assert_string_equal(mailer_find(l.cf, "lmtp")->eol, "\r\n");
	free(l.diag);
	config_free(l.cf);
}

static void test_options_stored(void **state)
{
	(void)state;
	struct loaded l = load("V10/Berkeley",
			       "O OperatorChars=.:%@!^/[]+\nO BlankSub=.\nO ColonOkInAddr=true\n"
			       "O Timeo=2h\nO Timeout.queuewarn=4h\nO LogLevel=12\nOL3\n"
			       "O SmtpGreetingMessage=$j Sendmail $v/$Z; $b\nO AliasWait=10\n",
			       true);
	assert_string_equal(l.cf->operator_chars, ".:%@!^/[]+");
	assert_int_equal(l.cf->blank_sub, '.');
	assert_true(l.cf->colon_ok_in_addr);
	assert_int_equal(opt_timeout(l.cf->opt, TO_COMMAND), 7200);
	assert_int_equal(opt_timeout(l.cf->opt, TO_QUEUEWARN_NORMAL), 4 * 3600);
	assert_int_equal(opt_num(l.cf->opt, OPT_LOG_LEVEL), 3);
	assert_int_equal(opt_num(l.cf->opt, OPT_ALIAS_WAIT), 600);
	assert_string_equal(opt_raw(l.cf->opt, OPT_SMTP_GREETING_MESSAGE), "$j Sendmail $v/$Z; $b");
	assert_int_equal(opt_num(l.cf->opt, OPT_MAX_HOP_COUNT), 25);
	assert_false(opt_bool(l.cf->opt, OPT_SEVEN_BIT_INPUT));
	free(l.diag);
	config_free(l.cf);
}

static void test_fatal_exits(void **state)
{
	(void)state;
	/* Sendmail stops at once, exit 64, on a bad delivery or 8-bit mode. */
	const char *bodies[] = {"O DeliveryMode=x\n", "O EightBitMode=x\n"};
	for (int i = 0; i < 2; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			FILE *devnull = fopen("/dev/null", "w");
			(void)load("V10", bodies[i], true);
			(void)devnull;
			_exit(0);
		}
		int st;
		waitpid(pid, &st, 0);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 64);
	}
	pid_t pid = fork();
	if (pid == 0) {
		cf_diag_stream(fopen("/dev/null", "w"));
		(void)readcf("/nonexistent/x.cf", false);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	assert_int_equal(WEXITSTATUS(st), 72);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_cf_read.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char path[128];
	(void)state;
	snprintf(path, sizeof(path), "%s/x.cf", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_messages),
		cmocka_unit_test(test_version_warnings),
		cmocka_unit_test(test_rules_and_macros),
		cmocka_unit_test(test_ruleset_numbering),
		cmocka_unit_test(test_mailers),
		cmocka_unit_test(test_mailer_eol_default),
		cmocka_unit_test(test_options_stored),
		cmocka_unit_test(test_fatal_exits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
