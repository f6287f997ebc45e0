/*
 * daemon/dchild.c: the daemon parent's bookkeeping.
 *
 *   children   every process the parent forked (connection, delivery,
 *              queue run) with what it counts against: MaxDaemonChildren
 *              and per-daemon children= count connections and queue
 *              runs; ${client_connections} counts the open connections
 *              of one client address
 *   rates      accept times per client address inside
 *              ConnectionRateWindowSize, for ${client_rate} and
 *              ${total_rate} (FEATURE ratecontrol); bounded, the oldest
 *              entries go first
 *   requests   delivery requests read from the children's pipe, one line
 *              "QUEUEDIR<TAB>ID" each, kept in order until a delivery
 *              slot is free
 */
#include <stdlib.h>
#include <string.h>

#include "libsm/sm_mem.h"
#include "sendmail/daemon/dstate.h"

#define MAX_RATE_HITS 65536  /* accept times remembered */
#define MAX_PENDING   100000 /* delivery requests waiting */
#define MAX_REQ_LINE  8192   /* a longer request line is dropped */

void dchild_add(struct dstate *d, pid_t pid, enum dkind kind, int port, const struct dpeer *peer)
{
	if (d->nchildren == d->capchildren) {
		d->capchildren = d->capchildren ? d->capchildren * 2 : 64;
		d->children = sm_reallocarray(d->children, d->capchildren, sizeof(*d->children));
	}
	d->children[d->nchildren++] = (struct dchild){pid, kind, port, *peer};
	if (kind == DK_CONN && port >= 0)
		d->ports[port].nchildren++;
	if (kind == DK_DELIVER)
		d->ndeliver++;
}

/* Forget pid; returns its kind (DK_NONE if it was not ours). */
enum dkind dchild_remove(struct dstate *d, pid_t pid)
{
	for (size_t i = 0; i < d->nchildren; i++) {
		struct dchild c = d->children[i];

		if (c.pid != pid)
			continue;
		d->children[i] = d->children[--d->nchildren];
		if (c.kind == DK_CONN && c.port >= 0)
			d->ports[c.port].nchildren--;
		if (c.kind == DK_DELIVER)
			d->ndeliver--;
		if (c.kind == DK_QRUN)
			d->qrun_pid = 0;
		return c.kind;
	}
	return DK_NONE;
}

size_t dchild_count(const struct dstate *d, enum dkind kind)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nchildren; i++)
		if (d->children[i].kind == kind)
			n++;
	return n;
}

static bool same_peer(const struct dpeer *a, const struct dpeer *b)
{
	return a->family == b->family && memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

long dchild_connections(const struct dstate *d, const struct dpeer *peer)
{
	long n = 0;

	for (size_t i = 0; i < d->nchildren; i++)
		if (d->children[i].kind == DK_CONN && same_peer(&d->children[i].peer, peer))
			n++;
	return n;
}

/* Drop hits older than the window. */
static void rate_prune(struct dstate *d, time_t now, long window)
{
	size_t keep = 0;

	for (size_t i = 0; i < d->nhits; i++)
		if (now - d->hits[i].t < window)
			d->hits[keep++] = d->hits[i];
	d->nhits = keep;
}

void dchild_rate(struct dstate *d, const struct dpeer *peer, time_t now, long window, long *client,
                 long *total)
{
	if (window <= 0)
		window = 60;
	rate_prune(d, now, window);
	if (d->nhits == MAX_RATE_HITS) {
		memmove(d->hits, d->hits + 1, (d->nhits - 1) * sizeof(*d->hits));
		d->nhits--;
	}
	if (d->nhits == d->caphits) {
		d->caphits = d->caphits ? d->caphits * 2 : 256;
		d->hits = sm_reallocarray(d->hits, d->caphits, sizeof(*d->hits));
	}
	d->hits[d->nhits++] = (struct drate){now, *peer};
	*client = 0;
	for (size_t i = 0; i < d->nhits; i++)
		if (same_peer(&d->hits[i].peer, peer))
			(*client)++;
	*total = (long)d->nhits;
}

/* Queue one request line (without its newline). */
static void pending_push(struct dstate *d, const char *line, size_t n)
{
	if (n == 0 || d->npending >= MAX_PENDING)
		return;
	if (d->npending == d->cappending) {
		d->cappending = d->cappending ? d->cappending * 2 : 64;
		d->pending = sm_reallocarray(d->pending, d->cappending, sizeof(*d->pending));
	}
	d->pending[d->npending++] = sm_strndup(line, n);
}

void dchild_requests(struct dstate *d, const char *p, size_t n)
{
	size_t start = 0;

	sm_buf_append(&d->reqbuf, p, n);
	for (size_t i = 0; i < d->reqbuf.len; i++) {
		if (d->reqbuf.data[i] != '\n')
			continue;
		pending_push(d, d->reqbuf.data + start, i - start);
		start = i + 1;
	}
	if (start > 0) {
		memmove(d->reqbuf.data, d->reqbuf.data + start, d->reqbuf.len - start);
		sm_buf_truncate(&d->reqbuf, d->reqbuf.len - start);
	}
	if (d->reqbuf.len > MAX_REQ_LINE)
		sm_buf_reset(&d->reqbuf);
}

char *dchild_pending_pop(struct dstate *d)
{
	char *r;

	if (d->npending == 0)
		return NULL;
	r = d->pending[0];
	memmove(d->pending, d->pending + 1, (d->npending - 1) * sizeof(*d->pending));
	d->npending--;
	return r;
}

void dchild_pending_unpop(struct dstate *d, char *req)
{
	if (d->npending == d->cappending) {
		d->cappending = d->cappending ? d->cappending * 2 : 64;
		d->pending = sm_reallocarray(d->pending, d->cappending, sizeof(*d->pending));
	}
	memmove(d->pending + 1, d->pending, d->npending * sizeof(*d->pending));
	d->pending[0] = req;
	d->npending++;
}
