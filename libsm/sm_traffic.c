/*
 * libsm/sm_traffic.c: the -X traffic log (see sm_traffic.h).
 *
 * Format (Sendmail 8.17's, checked against the reference): one line per
 * line of dialogue, "PPPPP <<< text" for what we read, "PPPPP >>> text"
 * for what we write.  Knows nothing of mail; callers choose direction.
 */
#include <sys/types.h>
#include <unistd.h>

#include "libsm/sm_traffic.h"

/* NULL when there is no -X. */
static FILE *traffic;

void sm_traffic_set(FILE *f)
{
	traffic = f;
}

FILE *sm_traffic_file(void)
{
	return traffic;
}

bool sm_traffic_on(void)
{
	return traffic != NULL;
}

void sm_traffic_line(const char *dir, const char *line)
{
	if (traffic == NULL)
		return;
	fprintf(traffic, "%05d %s %s\n", (int)getpid(), dir, line);
	fflush(traffic);
}

void sm_traffic_stream(struct sm_buf *pend, const char *dir, const char *p, size_t n,
                       bool keep_cr)
{
	if (traffic == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '\n') {
			sm_buf_putc(pend, p[i]);
			continue;
		}
		if (!keep_cr && pend->len > 0 && pend->data[pend->len - 1] == '\r')
			sm_buf_truncate(pend, pend->len - 1);
		sm_traffic_line(dir, sm_buf_str(pend));
		sm_buf_truncate(pend, 0);
	}
}
