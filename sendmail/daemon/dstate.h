/*
 * daemon/dstate: the daemon parent's state, shared by daemon.c (the loop)
 * and dchild.c (children, rates, delivery requests).  Private to
 * sendmail/daemon/.
 */
#ifndef DAEMON_DSTATE_H
#define DAEMON_DSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "libsm/sm_buf.h"
#include "sendmail/daemon/dint.h"

#define MAX_DAEMONS 16

enum dkind { DK_NONE, DK_CONN, DK_DELIVER, DK_QRUN };

/* A client address in comparable form. */
struct dpeer {
	int family;
	unsigned char addr[16];
};

struct dchild {
	pid_t pid;
	enum dkind kind;
	int port; /* index in ports, -1 none */
	struct dpeer peer;
};

struct drate {
	time_t t;
	struct dpeer peer;
};

struct dstate {
	struct config *cf;
	const struct daemon_args *a;
	struct sm_arena *arena;
	struct dport ports[MAX_DAEMONS];
	int nports;
	struct dchild *children;
	size_t nchildren, capchildren;
	size_t ndeliver;    /* delivery children running */
	size_t max_deliver; /* at most this many at once */
	pid_t qrun_pid;
	time_t next_qrun;
	struct drate *hits;
	size_t nhits, caphits;
	int req_rd, req_wr; /* delivery request pipe */
	struct sm_buf reqbuf;
	char **pending;
	size_t npending, cappending;
	bool stopping;
	time_t stop_deadline;
	time_t throttle_sec; /* ConnectionRateThrottle bookkeeping */
	long throttle_count;
	time_t last_reject_log;
	const char *pidfile;
};

void dchild_add(struct dstate *d, pid_t pid, enum dkind kind, int port, const struct dpeer *peer);
enum dkind dchild_remove(struct dstate *d, pid_t pid);
size_t dchild_count(const struct dstate *d, enum dkind kind);
long dchild_connections(const struct dstate *d, const struct dpeer *peer);
/* Note an accept from peer now; the counts inside the window. */
void dchild_rate(struct dstate *d, const struct dpeer *peer, time_t now, long window, long *client,
                 long *total);
/* Bytes read from the request pipe. */
void dchild_requests(struct dstate *d, const char *p, size_t n);
/* The oldest waiting request (malloc'd "QUEUEDIR\tID"), NULL if none. */
char *dchild_pending_pop(struct dstate *d);
/* Put a popped request back at the front. */
void dchild_pending_unpop(struct dstate *d, char *req);

#endif
