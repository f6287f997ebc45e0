/*
 * qid: Sendmail 8.17 queue ids.
 *
 * An id is eight characters of QID_ALPHABET and the pid in decimal:
 *   [0] gmtime tm_year % 60   [1] tm_mon   [2] tm_mday   [3] tm_hour
 *   [4] tm_min % 62           [5] tm_sec % 62 (leap seconds fit)
 *   [6][7] sequence 0..3599 as two base-60 digits
 *   [8..] pid, "%06d"
 * The generator keeps the second in which its current batch started and
 * hands out up to 3600 sequence numbers for it, starting at a random
 * offset chosen once per process image; a new batch starts when those are
 * used up (waiting for the clock to reach a new second) or when the pid
 * changes (a forked child: its pid alone makes its ids distinct).  This is
 * what the reference binary does, so ids from both never collide.
 *
 * Public: qid_format, qid_next, qid_next_at, qid_valid, qid_decode.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "libsm/sm_log.h"
#include "sendmail/queue/queue.h"

#define QID_BASE 60 /* sequence digits use the first 60 characters */
#define QID_FIELD 62

static const char qid_chars[] = QID_ALPHABET;

/* Position of c in the alphabet, or -1. */
static int qid_index(int c)
{
	const char *p = c == '\0' ? NULL : strchr(qid_chars, c);

	return p == NULL ? -1 : (int)(p - qid_chars);
}

void qid_format(char out[QID_BUFSIZE], time_t t, unsigned seq, long pid)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	seq %= QID_SEQ_MAX;
	out[0] = qid_chars[((tm.tm_year % QID_BASE) + QID_BASE) % QID_BASE];
	out[1] = qid_chars[tm.tm_mon];
	out[2] = qid_chars[tm.tm_mday];
	out[3] = qid_chars[tm.tm_hour];
	out[4] = qid_chars[tm.tm_min % QID_FIELD];
	out[5] = qid_chars[tm.tm_sec % QID_FIELD];
	out[6] = qid_chars[seq / QID_BASE];
	out[7] = qid_chars[seq % QID_BASE];
	snprintf(out + 8, QID_BUFSIZE - 8, "%06ld", pid);
}

int qid_next_at(struct qid_gen *g, time_t now, long pid, unsigned offset, char out[QID_BUFSIZE])
{
	unsigned seq;

	if (g->last == 0)
		g->offset = offset % QID_SEQ_MAX;
	if (g->last == 0 || g->pid != pid || g->count >= QID_SEQ_MAX) {
		/* Same process, batch used up: only a later second will do. */
		if (g->last != 0 && g->pid == pid && now <= g->last)
			return -1;
		g->last = now;
		g->pid = pid;
		g->count = 0;
	}
	seq = (g->count + g->offset) % QID_SEQ_MAX;
	g->count++;
	qid_format(out, g->last, seq, pid);
	return 0;
}

/* A random sequence offset (any value will do if the kernel has none). */
static unsigned qid_random(void)
{
	unsigned r = 0;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		r = (unsigned)time(NULL) ^ (unsigned)getpid();
	return r;
}

void qid_next(struct qid_gen *g, char out[QID_BUFSIZE])
{
	unsigned offset = g->last == 0 ? qid_random() : g->offset;
	int tries;

	/* Bounded: the clock moves on within a second or two. */
	for (tries = 0; tries < 600; tries++) {
		if (qid_next_at(g, time(NULL), (long)getpid(), offset, out) == 0)
			return;
		usleep(100000);
	}
	sm_panic("queue id generator: clock does not advance");
}

bool qid_valid(const char *id)
{
	size_t i, n = strlen(id);

	if (n < 13 || n >= QID_BUFSIZE)
		return false;
	for (i = 0; i < 8; i++) {
		int x = qid_index((unsigned char)id[i]);

		if (x < 0 || (i >= 6 && x >= QID_BASE))
			return false;
	}
	for (; i < n; i++)
		if (id[i] < '0' || id[i] > '9')
			return false;
	return true;
}

bool qid_decode(const char *id, struct tm *tm, unsigned *seq, long *pid)
{
	if (!qid_valid(id))
		return false;
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = qid_index((unsigned char)id[0]);
	tm->tm_mon = qid_index((unsigned char)id[1]);
	tm->tm_mday = qid_index((unsigned char)id[2]);
	tm->tm_hour = qid_index((unsigned char)id[3]);
	tm->tm_min = qid_index((unsigned char)id[4]);
	tm->tm_sec = qid_index((unsigned char)id[5]);
	*seq = (unsigned)(qid_index((unsigned char)id[6]) * QID_BASE +
			  qid_index((unsigned char)id[7]));
	*pid = strtol(id + 8, NULL, 10);
	return true;
}
