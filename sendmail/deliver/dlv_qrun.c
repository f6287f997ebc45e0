/*
 * deliver/dlv_qrun: one run over the queue (sendmail -q).
 *
 * Public: dlv_run_init, dlv_parse_q, dlv_match, dlv_queue_run,
 * dlv_deliver_id (deliver.h).
 *
 * A run expands QueueDirectory ("dir" or "dir/q*"), gathers the qf files
 * of every directory, reads each one (unlocked: only to filter and sort;
 * the job locks and re-reads it), keeps those the -qI/-qR/-qS filters
 * select and that are old enough (MinQueueAge, since the last attempt),
 * sorts them by QueueSortOrder, cuts the list at MaxQueueRunSize, and
 * hands each to dlv_job_run().  DSNs queued by a job are delivered in the
 * same run.  Load: when the load average reaches RefuseLA nothing runs;
 * at QueueLA an entry runs only if its priority is below
 * QueueFactor / (la - QueueLA + 1), Sendmail's shouldqueue() rule.
 *
 * Differences from 8.17: the run happens in the calling process (8.17
 * forks a runner unless -v or -qf) and jobs run one after the other.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "libsm/sm_load.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/options.h"
#include "sendmail/deliver/dlv_int.h"
#include "sendmail/map/map.h"

#define DLV_MAX_ENTRIES 1000000 /* bound on the entries one run looks at */

struct qentry {
	const struct qdir *d;
	const char *id;
	long priority;
	long long ctime;
	long long mtime;
	const char *host; /* first recipient's domain, for "host" order */
	unsigned rnd;
};

void dlv_run_init(struct dlv_run *r)
{
	memset(r, 0, sizeof(*r));
	r->mode = QL_NORMAL;
}

/* -q<time>: Sendmail's convtime with minutes as the default unit. */
static int parse_interval(struct dlv_run *r, const char *arg, const char **err)
{
	bool bad = false;
	int badunit = 0;
	long t = option_convtime(arg, 'm', &bad, &badunit);

	if (bad || t < 0) {
		*err = "Invalid -q time";
		return -1;
	}
	r->interval = t;
	return 0;
}

int dlv_parse_q(struct dlv_run *r, const char *arg, struct sm_arena *a, const char **err)
{
	bool negate = false;
	struct dlv_qsel *s;

	if (arg == NULL || *arg == '\0')
		return 0;
	if (strcmp(arg, "f") == 0) {
		r->foreground = true;
		return 0;
	}
	if (strcmp(arg, "Q") == 0 || strcmp(arg, "L") == 0) {
		r->mode = *arg == 'Q' ? QL_QUARANTINE : QL_LOST;
		return 0;
	}
	if (*arg == 'p') /* persistent runner: the daemon's business */
		return arg[1] == '\0' ? 0 : parse_interval(r, arg + 1, err);
	if (*arg == '!') {
		negate = true;
		arg++;
	}
	if (*arg != 'I' && *arg != 'R' && *arg != 'S') {
		if (negate) {
			*err = "Invalid -q! option";
			return -1;
		}
		return parse_interval(r, arg, err);
	}
	s = sm_arena_zalloc(a, sizeof(*s));
	s->kind = *arg;
	s->negate = negate;
	s->sub = sm_arena_strdup(a, arg + 1);
	s->next = r->sel;
	r->sel = s;
	return 0;
}

/* Sendmail's strcontainedin: sub anywhere in s (icase for addresses). */
static bool contains(const char *s, const char *sub, bool icase)
{
	if (s == NULL)
		return false;
	return icase ? strcasestr(s, sub) != NULL : strstr(s, sub) != NULL;
}

static bool one_matches(const struct dlv_qsel *s, const char *id, const struct qf *q)
{
	bool hit = false;

	if (s->kind == 'I')
		hit = contains(id, s->sub, false);
	else if (s->kind == 'S')
		hit = contains(q->sender, s->sub, true);
	else
		for (const struct qf_rcpt *rc = q->rcpts; rc != NULL && !hit; rc = rc->next)
			hit = contains(rc->addr, s->sub, true);
	return s->negate ? !hit : hit;
}

bool dlv_match(const struct dlv_run *r, const char *id, const struct qf *q)
{
	static const char kinds[] = "IRS";

	for (const char *k = kinds; *k != '\0'; k++) {
		bool seen = false, any = false;

		for (const struct dlv_qsel *s = r->sel; s != NULL; s = s->next) {
			if (s->kind != *k)
				continue;
			seen = true;
			if (one_matches(s, id, q))
				any = true;
		}
		if (seen && !any)
			return false;
	}
	return true;
}

/* shouldqueue(): whether an entry of priority pri waits for a lower load. */
static bool too_loaded(const struct config *cf, double la, long pri)
{
	const struct options *o = cf->opt;
	long qla = o->set[OPT_QUEUE_LA] ? opt_num(o, OPT_QUEUE_LA) : 8;
	long factor = opt_num(o, OPT_QUEUE_FACTOR);

	if (la < 0 || la < (double)qla)
		return false;
	return (double)pri > (double)factor / (la - (double)qla + 1);
}

/* Domain of the first recipient (lowercased by strcasecmp at sort time). */
static const char *first_host(const struct qf *q)
{
	const char *at;

	if (q->rcpts == NULL)
		return "";
	at = strrchr(q->rcpts->addr, '@');
	return at != NULL ? at + 1 : "";
}

/* Read one qf for selection; false when it is skipped. */
static bool probe(const struct config *cf, const struct dlv_run *r, const struct qdir *d,
                  const char *name, struct sm_arena *a, struct qentry *e)
{
	struct sm_buf path = SM_BUF_INIT, err = SM_BUF_INIT;
	struct qf *q;
	struct stat st;
	bool ok = false;
	long age = opt_num(cf->opt, OPT_MIN_QUEUE_AGE);

	e->d = d;
	e->id = sm_arena_strdup(a, name + 2);
	qdir_file(d, name[0], e->id, &path);
	if (stat(sm_buf_str(&path), &st) == 0 &&
	    qf_read_file(sm_buf_str(&path), a, &q, &err) == 0) {
		ok = dlv_match(r, e->id, q);
		if (ok && r->sel == NULL && r->ids == NULL && age > 0 && q->dtime != 0 &&
		    time(NULL) - q->dtime < age)
			ok = false; /* too young */
		e->priority = q->priority;
		e->ctime = q->ctime;
		e->mtime = (long long)st.st_mtime;
		e->host = sm_arena_strdup(a, first_host(q));
		e->rnd = (unsigned)random();
	}
	sm_buf_free(&path);
	sm_buf_free(&err);
	return ok;
}

/* Room for one more entry in *v. */
static void grow(struct sm_arena *a, struct qentry **v, size_t n, size_t *cap)
{
	struct qentry *nv;

	if (n < *cap)
		return;
	nv = sm_arena_array(a, *cap * 2 + 64, sizeof(*nv));
	if (n > 0)
		memcpy(nv, *v, n * sizeof(*nv));
	*v = nv;
	*cap = *cap * 2 + 64;
}

/* The entries r->ids names (the daemon's batches): no directory scan. */
static void gather_ids(const struct config *cf, const struct dlv_run *r, const struct qdir *d,
                       struct sm_arena *a, struct qentry **v, size_t *n, size_t *cap)
{
	for (size_t i = 0; i < r->nids && *n < DLV_MAX_ENTRIES; i++) {
		const char *name = sm_arena_printf(a, "qf%s", r->ids[i]);

		if (!qid_valid(r->ids[i]))
			continue;
		grow(a, v, *n, cap);
		if (probe(cf, r, d, name, a, &(*v)[*n]))
			(*n)++;
	}
}

/* Append the selected entries of one directory to *v. */
static void gather(const struct config *cf, const struct dlv_run *r, const struct qdir *d,
                   struct sm_arena *a, struct qentry **v, size_t *n, size_t *cap)
{
	struct sm_buf dir = SM_BUF_INIT;
	int letter = r->mode == QL_QUARANTINE ? 'h' : r->mode == QL_LOST ? 'Q' : 'q';
	struct dirent *de;
	DIR *dp;

	if (r->ids != NULL) {
		gather_ids(cf, r, d, a, v, n, cap);
		return;
	}
	qdir_subdir(d, 'q', &dir);
	dp = opendir(sm_buf_str(&dir));
	sm_buf_free(&dir);
	if (dp == NULL)
		return;
	while ((de = readdir(dp)) != NULL && *n < DLV_MAX_ENTRIES) {
		if (de->d_name[0] != letter || de->d_name[1] != 'f' || !qid_valid(de->d_name + 2))
			continue;
		grow(a, v, *n, cap);
		if (probe(cf, r, d, de->d_name, a, &(*v)[*n]))
			(*n)++;
	}
	closedir(dp);
}

static int sort_order; /* for the comparators: first letter of QueueSortOrder */

static int cmp_ll(long long x, long long y)
{
	return x < y ? -1 : x > y ? 1 : 0;
}

static int qentry_cmp(const void *pa, const void *pb)
{
	const struct qentry *x = pa, *y = pb;
	int c = 0;

	switch (sort_order) {
	case 'h':
		c = strcasecmp(x->host, y->host);
		break;
	case 't':
		c = cmp_ll(x->ctime, y->ctime);
		break;
	case 'f':
		c = strcmp(x->id, y->id);
		break;
	case 'm':
		c = cmp_ll(x->mtime, y->mtime);
		break;
	case 'r':
		c = cmp_ll(x->rnd, y->rnd);
		break;
	case 'n':
		return 0;
	default:
		break;
	}
	if (c == 0)
		c = cmp_ll(x->priority, y->priority);
	return c != 0 ? c : cmp_ll(x->ctime, y->ctime);
}

static void sort_entries(const struct config *cf, struct qentry *v, size_t n)
{
	const char *o = opt_raw(cf->opt, OPT_QUEUE_SORT_ORDER);

	sort_order = o != NULL ? (o[0] | 0x20) : 'p';
	if (sort_order != 'n')
		qsort(v, n, sizeof(*v), qentry_cmp);
}

/* The QueueDirectory value to run. */
static const char *queue_spec(const struct config *cf, const struct dlv_run *r)
{
	const char *spec =
	    r->queue_dir != NULL ? r->queue_dir : opt_raw(cf->opt, OPT_QUEUE_DIRECTORY);

	return spec != NULL ? spec : "/var/spool/mqueue";
}

void dlv_idq_add(struct dlv_idq *q, const struct qdir *d, const char *id, int level)
{
	if (level > DLV_MAX_LEVEL || q->n >= DLV_MAX_ENTRIES)
		return;
	if (q->n == q->cap) {
		struct dlv_qitem *nv = sm_arena_array(q->a, q->cap * 2 + 16, sizeof(*nv));

		if (q->n > 0)
			memcpy(nv, q->v, q->n * sizeof(*nv));
		q->v = nv;
		q->cap = q->cap * 2 + 16;
	}
	q->v[q->n].d = d;
	q->v[q->n].id = sm_arena_strdup(q->a, id);
	q->v[q->n].level = level;
	q->n++;
}

/* Deliver what the run queued itself (DSNs, splits), until nothing is
 * left: the LMTP session is closed (its parked job finished) each time,
 * since that job may queue more. */
static void drain(struct config *cf, const struct dlv_run *r, struct dlv_idq *q, bool close)
{
	for (int round = 0; round < DLV_MAX_LEVEL + 2; round++) {
		while (q->next < q->n) {
			const struct dlv_qitem *it = &q->v[q->next++];

			(void)dlv_job_run(cf, r, it->d, it->id, q, it->level);
		}
		if (!close)
			return;
		dlv_lmtp_close();
		if (q->next == q->n)
			return;
	}
}

/* Run the entries, each followed by the entries it queued. */
static void run_entries(struct config *cf, const struct dlv_run *r, struct qentry *v, size_t n,
                        double la, struct sm_arena *a)
{
	struct dlv_idq q = {a, NULL, 0, 0, 0};

	for (size_t i = 0; i < n; i++) {
		if (too_loaded(cf, la, v[i].priority))
			continue;
		(void)dlv_job_run(cf, r, v[i].d, v[i].id, &q, 0);
		drain(cf, r, &q, false);
	}
	drain(cf, r, &q, true);
}

int dlv_queue_run(struct config *cf, const struct dlv_run *r)
{
	struct sm_arena *a = sm_arena_new();
	struct qdir *dirs;
	size_t ndirs = qdir_expand(queue_spec(cf, r), a, &dirs);
	struct qentry *v = NULL;
	size_t n = 0, cap = 0;
	long maxrun =
	    r->max_entries > 0 ? r->max_entries : opt_num(cf->opt, OPT_MAX_QUEUE_RUN_SIZE);
	double la = sm_load_average();
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);

	map_set_deferred(cf->maps, false); /* deliveries look everything up */
	if (ndirs == 0) {
		if (r->verbose)
			fprintf(r->vout ? r->vout : stdout, "%s: cannot open queue directory\n",
			        queue_spec(cf, r));
		sm_arena_free(a);
		signal(SIGPIPE, old);
		return EX_OSFILE;
	}
	if (cf->opt->set[OPT_REFUSE_LA] && la >= (double)opt_num(cf->opt, OPT_REFUSE_LA)) {
		if (r->verbose)
			fprintf(r->vout ? r->vout : stdout,
			        "Skipping queue run -- load average too high\n");
		sm_arena_free(a);
		signal(SIGPIPE, old);
		return EX_OK;
	}
	for (size_t i = 0; i < ndirs; i++)
		gather(cf, r, &dirs[i], a, &v, &n, &cap);
	sort_entries(cf, v, n);
	if (maxrun > 0 && n > (size_t)maxrun)
		n = (size_t)maxrun;
	if (r->mode == QL_NORMAL)
		run_entries(cf, r, v, n, la, a);
	dlv_lmtp_close();
	sm_arena_free(a);
	signal(SIGPIPE, old);
	return EX_OK;
}

/* -odi / -odb: one entry, then what it queued. */
static int deliver_one(struct config *cf, const struct qdir *d, const char *id,
                       const struct dlv_run *r, struct sm_arena *a)
{
	struct dlv_idq q = {a, NULL, 0, 0, 0};
	int rc = dlv_job_run(cf, r, d, id, &q, 0);

	drain(cf, r, &q, true);
	return rc;
}

int dlv_deliver_id(struct config *cf, const char *qdir, const char *id, bool background,
                   const struct dlv_run *r)
{
	struct sm_arena *a;
	struct qdir *dirs, one;
	void (*old)(int);
	int rc;

	map_set_deferred(cf->maps, false); /* deliveries look everything up */
	if (background) {
		pid_t pid = fork();

		if (pid < 0)
			return EX_OSERR;
		if (pid > 0)
			return EX_OK;
		(void)setsid();
		_exit(dlv_deliver_id(cf, qdir, id, false, r));
	}
	a = sm_arena_new();
	if (qdir != NULL)
		qdir_init(&one, qdir, a);
	else if (qdir_expand(queue_spec(cf, r), a, &dirs) > 0)
		one = dirs[0];
	else {
		sm_arena_free(a);
		return EX_OSFILE;
	}
	old = signal(SIGPIPE, SIG_IGN);
	rc = deliver_one(cf, &one, id, r, a);
	dlv_lmtp_close();
	signal(SIGPIPE, old);
	sm_arena_free(a);
	return rc;
}
