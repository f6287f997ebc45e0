/*
 * smtp/server_io.c: run a session over two file descriptors.
 *
 * smtp_session_run_fd() is the simple driver for -bs (stdin/stdout) and
 * for a daemon child: poll() with a deadline for every wait (no alarm(),
 * no signals, no longjmp), read what is there, feed it, write every
 * queued reply before waiting again.  Because replies are written only
 * when the input read so far has been consumed, the replies to a
 * pipelined group leave together.  The greet pause (FEATURE greet_pause)
 * is a poll() on the input for that long: input that arrives is fed
 * before the greeting, which the session answers with 554.  With -X
 * (libsm/sm_traffic) every line read is logged "PID <<< line" (CR kept,
 * as 8.17 does) and every reply line written "PID >>> line".
 */
#include <errno.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "libsm/sm_traffic.h"
#include "sendmail/smtp/server_int.h"

#define IO_CHUNK 16384

/* -X: partial lines not yet logged (one session per process). */
static struct sm_buf traffic_in = SM_BUF_INIT;
static struct sm_buf traffic_out = SM_BUF_INIT;

/* Write everything; false on error. */
static bool write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait up to ms for input; 1 readable, 0 timeout, -1 error. */
static int wait_input(int fd, long ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	long deadline = now_ms() + ms;

	for (;;) {
		long left = deadline - now_ms();
		int r = poll(&p, 1, left > 0 ? (int)(left > 2000000000L ? 2000000000L : left) : 0);
		if (r < 0 && errno == EINTR)
			continue;
		return r < 0 ? -1 : r > 0 ? 1 : 0;
	}
}

/* Flush the queued replies, honouring a requested slow-down. */
static bool flush(struct smtp_session *s, int out)
{
	size_t len;
	const char *p = smtp_session_output(s, &len);
	long delay = smtp_session_delay(s);

	if (delay > 0) {
		struct timespec ts = {delay / 1000, (delay % 1000) * 1000000L};

		nanosleep(&ts, NULL);
	}
	sm_traffic_stream(&traffic_out, ">>>", p, len, false);
	if (len > 0 && !write_all(out, p, len))
		return false;
	smtp_session_output_done(s);
	return true;
}

/* Read once and feed; 0 on EOF, -1 on error. */
static int read_feed(struct smtp_session *s, int in)
{
	char buf[IO_CHUNK];
	ssize_t n;

	do
		n = read(in, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n > 0) {
		sm_traffic_stream(&traffic_in, "<<<", buf, (size_t)n, true);
		smtp_session_feed(s, buf, (size_t)n);
	}
	return n < 0 ? -1 : (int)(n > 0);
}

int smtp_session_run_fd(struct smtp_session *s, int in, int out, long cmd_timeout,
                        long data_timeout)
{
	long pause = smtp_session_start(s);

	smtp_session_set_peek_fd(s, in);
	if (pause > 0 && wait_input(in, pause) > 0 && read_feed(s, in) <= 0)
		smtp_session_eof(s);
	smtp_session_greet(s);
	for (;;) {
		long t = smtp_session_in_data(s) ? data_timeout : cmd_timeout;
		int r;

		if (!flush(s, out))
			return -1;
		if (smtp_session_closed(s))
			return 0;
		r = wait_input(in, t > 0 ? t * 1000 : 3600L * 1000);
		if (r == 0) {
			smtp_session_timeout(s);
			continue;
		}
		if (r < 0 || (r = read_feed(s, in)) < 0)
			return -1;
		if (r == 0)
			smtp_session_eof(s);
	}
}
