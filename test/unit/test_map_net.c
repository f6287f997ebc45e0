/*
 * test_map_net: unit tests of the socket and program map classes
 * (sendmail/map/map_socket.c, map_program.c).
 *
 * The socket tests fork a tiny socketmap server on a unix socket in a
 * private directory: it reads netstring requests and answers from a
 * script keyed by the request's key, so the tests check the request
 * format (map name, key folding), the status words, malformed and short
 * replies, timeouts, connection sharing and reconnection.  The program
 * tests run /bin/sh scripts written into the directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "sendmail/cf/config.h"
#include "sendmail/map/map.h"
#include "test/unit/unit_util.h"

static struct unit_map_fx F;
static pid_t server; /* the socketmap server's process, or -1 */

/* ---- the server (child process) ---- */

/* Read one netstring into buf; its length or -1. */
static int read_ns(int fd, char *buf, size_t max)
{
	size_t len = 0, got = 0;
	char c = '\0';

	for (int i = 0; i < 6 && read(fd, &c, 1) == 1 && c != ':'; i++)
		len = len * 10 + (size_t)(c - '0');
	if (c != ':' || len >= max)
		return -1;
	while (got < len + 1) {
		ssize_t n = read(fd, buf + got, len + 1 - got);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	buf[len] = '\0';
	return (int)len;
}

static void reply(int fd, const char *text)
{
	char out[512];
	int n = snprintf(out, sizeof(out), "%zu:%s,", strlen(text), text);

	if (write(fd, out, (size_t)n) != n)
		_exit(1);
}

/* Serve one connection; "count" numbers the requests on it. */
static void serve(int fd)
{
	char req[512], ans[600];
	int count = 0;

	while (read_ns(fd, req, sizeof(req)) >= 0) {
		const char *key = strchr(req, ' ') ? strchr(req, ' ') + 1 : "";
		count++;
		if (strcmp(key, "nf") == 0)
			reply(fd, "NOTFOUND ");
		else if (strcmp(key, "temp") == 0)
			reply(fd, "TEMP later");
		else if (strcmp(key, "perm") == 0)
			reply(fd, "PERM never");
		else if (strcmp(key, "odd") == 0)
			reply(fd, "ODD x");
		else if (strcmp(key, "short") == 0) {
			if (write(fd, "50:OK x,", 8) != 8)
				_exit(1);
		} else if (strcmp(key, "slow") == 0)
			sleep(3);
		else if (strcmp(key, "close") == 0)
			break;
		else {
			snprintf(ans, sizeof(ans), "OK [%s] n=%d", req, count);
			reply(fd, ans);
		}
	}
	close(fd);
}

static void start_server(void)
{
	struct sockaddr_un sun;
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", fx_path("sm.sock"));
	assert_int_equal(bind(s, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(s, 8), 0);
	server = fork();
	assert_true(server >= 0);
	if (server == 0) {
		setpgid(0, 0); /* teardown kills the whole group */
		for (;;) {
			int c = accept(s, NULL, NULL);
			if (c < 0)
				_exit(0);
			if (fork() == 0) { /* one process per connection */
				serve(c);
				_exit(0);
			}
			close(c);
		}
	}
	close(s);
}

static int setup(void **state)
{
	unit_map_fx_open(&F);
	assert_int_equal(chmod(F.dir, 0755), 0); /* programs run as DefaultUser */
	server = -1;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static int teardown(void **state)
{
	unit_map_fx_close(&F);
	if (server > 0) {
		kill(-server, SIGKILL);
		kill(server, SIGKILL);
		waitpid(server, NULL, 0);
	}
	return 0;
}

static int declare(const char *fmt)
{
	return map_declare(F.r, &F.cf, sm_arena_printf(F.a, fmt, F.dir), "x.cf", 3);
}

/* ---- socket ---- */

static void test_socket_found_and_statuses(void **state)
{
	start_server();
	assert_int_equal(declare("s socket local:%s/sm.sock"), 0);
	assert_int_equal(declare("f socket -f -a<A> local:%s/sm.sock"), 0);
	assert_int_equal(declare("m socket -m unix:%s/sm.sock"), 0);
	assert_string_equal(fx_bt("s", "Key"), "map_lookup: s (Key) returns [s key] n=1 (0)\n");
	assert_string_equal(fx_bt("f", "Key"), "map_lookup: f (Key) returns [f Key] n=2<A> (0)\n");
	assert_string_equal(fx_bt("s", "nf"), "map_lookup: s (nf) no match (68)\n");
	assert_string_equal(fx_bt("s", "temp"), "map_lookup: s (temp) no match (75)\n");
	assert_string_equal(fx_bt("s", "perm"), "map_lookup: s (perm) no match (69)\n");
	assert_string_equal(fx_bt("s", "odd"), "map_lookup: s (odd) no match (76)\n");
	assert_string_equal(fx_bt("m", "KEY"), "map_lookup: m (KEY) returns key (0)\n");
	assert_int_equal(map_exit_status(F.r), 0);
}

static void test_socket_errors_reconnect(void **state)
{
	start_server();
	assert_int_equal(declare("s socket -d1 local:%s/sm.sock"), 0);
	assert_string_equal(fx_bt("s", "a"), "map_lookup: s (a) returns [s a] n=1 (0)\n");
	assert_string_equal(fx_bt("s", "close"), "map_lookup: s (close) no match (75)\n");
	assert_string_equal(fx_bt("s", "b"), "map_lookup: s (b) returns [s b] n=1 (0)\n");
	assert_string_equal(fx_bt("s", "short"),
	                    "map_lookup: s (short) socket_map_lookup(s): received only 5 of 50 "
	                    "reply characters: Resource temporarily unavailable\nno match (75)\n");
	assert_string_equal(fx_bt("s", "slow"), "map_lookup: s (slow) socket_map_lookup(s): read "
	                                        "timeout: Resource temporarily unavailable\n"
	                                        "no match (75)\n");
	assert_string_equal(fx_bt("s", "c"), "map_lookup: s (c) returns [s c] n=1 (0)\n");
	assert_int_equal(map_exit_status(F.r), EX_OSERR);
}

static void test_socket_open_failures(void **state)
{
	assert_int_equal(declare("n socket local:%s/nosuch"), 0);
	assert_int_equal(declare("b socket foo:bar"), 0);
	assert_int_equal(declare("p socket inet:nosuchport@127.0.0.1"), 0);
	assert_int_equal(declare("a socket inet:25"), 0);
	assert_int_equal(declare("o socket -o foo:bar"), 0);
	assert_string_equal(
	    fx_bt("n", "k"),
	    sm_arena_printf(
	        F.a,
	        "socket map \"n\": local socket name %s/nosuch unsafe: No such file or directory\n"
	        "map_lookup: n (k) no match (75)\n",
	        F.dir));
	assert_string_equal(fx_bt("b", "k"), "socket map \"b\": unknown socket type foo: Protocol "
	                                     "not supported\nmap_lookup: b (k) no match (75)\n");
	assert_string_equal(fx_bt("p", "k"), "socket map \"p\": unknown port name nosuchport\n"
	                                     "map_lookup: p (k) no match (75)\n");
	assert_string_equal(fx_bt("a", "k"),
	                    "socket map \"a\": bad address 25 (expected port@host)\n"
	                    "map_lookup: a (k) no match (75)\n");
	assert_string_equal(fx_bt("o", "k"), "Map named \"o\" not open\n");
	assert_int_equal(declare("e socket"), -1);
	assert_string_equal(fx_output(), "x.cf: line 3: No file name for socket map e\n");
}

/* ---- program ---- */

static void script(const char *name, const char *text)
{
	FILE *fp = fopen(fx_path(name), "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	assert_int_equal(chmod(fx_path(name), 0755), 0);
}

static void test_program(void **state)
{
	script("args.sh", "#!/bin/sh\necho \"$#:$*:$AGENT:$HOME\"\necho second\n");
	script("code.sh", "#!/bin/sh\necho out\nexit 3\n");
	script("empty.sh", "#!/bin/sh\nexit 0\n");
	script("sig.sh", "#!/bin/sh\nkill -9 $$\n");
	assert_int_equal(declare("a program %s/args.sh one  two"), 0);
	assert_int_equal(declare("c program %s/code.sh"), 0);
	assert_int_equal(declare("e program %s/empty.sh"), 0);
	assert_int_equal(declare("s program %s/sig.sh"), 0);
	assert_int_equal(declare("m program -m -a.M %s/args.sh"), 0);
	assert_int_equal(declare("x program %s/nosuch"), 0);
	assert_string_equal(fx_bt("a", "Key"),
	                    "map_lookup: a (Key) returns 3:one two Key:sendmail: (0)\n");
	assert_string_equal(fx_bt("c", "k"), "map_lookup: c (k) no match (3)\n");
	assert_string_equal(fx_bt("e", "k"), "map_lookup: e (k) no match (0)\n");
	assert_string_equal(fx_bt("m", "Key"), "map_lookup: m (Key) returns Key.M (0)\n");
	assert_string_equal(fx_bt("x", "k"), "map_lookup: x (k) no match (78)\n");
	assert_int_equal(map_exit_status(F.r), 0);
	assert_string_equal(fx_bt("s", "k"), "map_lookup: s (k) prog_map_lookup(s): child died on "
	                                     "signal 9\nno match (69)\n");
	assert_int_equal(map_exit_status(F.r), EX_SOFTWARE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_socket_found_and_statuses, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_socket_errors_reconnect, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_socket_open_failures, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_program, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
