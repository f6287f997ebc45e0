/*
 * deliver/dlv_traffic: the -X traffic log of the delivery side.
 *
 * Public (deliver.h): dlv_set_traffic_log.  Internal (dlv_int.h):
 * dlv_traffic_on, dlv_traffic_line, dlv_traffic_exec,
 * dlv_traffic_msg_write.
 *
 * Format (Sendmail 8.17's, checked against the reference): one line per
 * line of dialogue, "PPPPP >>> text" for what we send to a mailer,
 * "PPPPP <<< text" for what we read from it (CR dropped), and
 * "PPPPP === EXEC argv..." when a mailer is started; PPPPP is the pid
 * with at least five digits.  The file is opened by main.c (append); it
 * is flushed after each line so that forked children interleave whole
 * lines.  The file and the line writer live in libsm/sm_traffic (the
 * SMTP server logs its dialogue there too); this file forwards to it.
 */
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>

#include "libsm/sm_buf.h"
#include "libsm/sm_traffic.h"
#include "sendmail/deliver/deliver.h"
#include "sendmail/deliver/dlv_int.h"

void dlv_set_traffic_log(FILE *f)
{
	sm_traffic_set(f);
}

bool dlv_traffic_on(void)
{
	return sm_traffic_on();
}

void dlv_traffic_line(const char *dir, const char *line)
{
	sm_traffic_line(dir, line);
}

void dlv_traffic_exec(char **argv)
{
	FILE *traffic = sm_traffic_file();

	if (traffic == NULL)
		return;
	fprintf(traffic, "%05d === EXEC", (int)getpid());
	for (char **a = argv; *a != NULL; a++)
		fprintf(traffic, " %s", *a);
	fputc('\n', traffic);
	fflush(traffic);
}

/* The message on its way to the mailer, copied line by line to -X. */
struct tee {
	FILE *real;
	struct sm_buf line;
};

static ssize_t tee_write(void *cookie, const char *buf, size_t n)
{
	struct tee *t = cookie;

	if (fwrite(buf, 1, n, t->real) != n)
		return -1;
	sm_traffic_stream(&t->line, ">>>", buf, n, false);
	return (ssize_t)n;
}

static int tee_close(void *cookie)
{
	struct tee *t = cookie;

	if (t->line.len > 0)
		dlv_traffic_line(">>>", sm_buf_str(&t->line));
	sm_buf_free(&t->line);
	return fflush(t->real) == 0 ? 0 : -1;
}

int dlv_traffic_msg_write(struct dlv_job *j, const struct mailer *m, struct dlv_rcpt *r, FILE *out,
                          bool lmtp)
{
	static const cookie_io_functions_t fns = {NULL, tee_write, NULL, tee_close};
	struct tee t = {out, SM_BUF_INIT};
	FILE *f;
	int rc;

	if (!sm_traffic_on() || (f = fopencookie(&t, "w", fns)) == NULL)
		return dlv_msg_write(j, m, r, out, lmtp);
	rc = dlv_msg_write(j, m, r, f, lmtp);
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}
