/*
 * qlist: the mailq (sendmail -bp) listing, in Sendmail 8.17's format.
 *
 * For each queue directory (a "dir/q*" value lists every matching one):
 *   1. gather: every control file of the mode's kind (qf, hf for -qQ, Qf
 *      for -qL) in the directory (or its qf/), in readdir order; each is
 *      opened read-only and probed with LOCK_SH|LOCK_NB (a lock held by
 *      someone else shows as '*'); its P line gives the sort key;
 *   2. sort by priority, ties kept in readdir order (8.17 sorts with
 *      glibc's qsort, which is a stable merge sort for these sizes);
 *   3. print "DIR is empty", or the request count line, the column header
 *      and one entry per file: id, status character, df size (-1 when
 *      there is no df), creation time, sender, then the quarantine
 *      reason, body type and status message, controlling users (-v) and
 *      recipients, each truncated and escaped as 8.17's prtstr does;
 * and finally "Total requests: N" for all directories together.
 *
 * The second pass reads each qf line by line the way 8.17's listing does
 * (not through qf_parse: mailq shows damaged files too).  Not reproduced:
 * the 'X' (load average too high) and '-' (younger than MinQueueAge)
 * markers, which depend on the running system and options; a physical
 * qf line longer than 8.17's 2048-byte buffer (8.17 would read the rest
 * as a separate line).
 *
 * Public: queue_list, queue_list_dir, queue_count.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_file.h"
#include "libsm/sm_mem.h"
#include "sendmail/queue/queue.h"

#define QL_MAX_ENTRIES 1000000 /* bound on one directory's listing */
#define QL_MAX_LINE QF_MAX_LINE
#define QL_MSG_MAX 2047  /* 8.17 keeps M and q text in MAXLINE buffers */
#define QL_BODY_MAX 256  /* and the body type in MAXNAME */

struct ql_entry {
	char *name;   /* file name, "qf<id>" */
	long pri;
	bool locked;
	size_t order; /* readdir position: the tie-break */
};

/* What one entry's lines have told us so far (8.17's per-entry locals). */
struct ql_state {
	int version;
	long long ctime;
	bool warned;
	struct sm_buf statmsg, quarmsg, bodytype;
};

static int ql_letter(enum qlist_mode m)
{
	return m == QL_QUARANTINE ? QT_QUARANTINE : m == QL_LOST ? QT_LOST : QT_CONTROL;
}

/* The P line of an open qf, 0 if none. */
static long ql_priority(FILE *fp)
{
	struct sm_buf line = SM_BUF_INIT;
	long pri = 0;
	int trunc;

	for (int n = 0; n < 1000000 && sm_getline(fp, &line, QL_MAX_LINE, &trunc) > 0; n++) {
		if (line.len > 0 && line.data[0] == 'P') {
			pri = atol(line.data + 1);
			break;
		}
		if (line.len == 1 && line.data[0] == '.')
			break;
	}
	sm_buf_free(&line);
	return pri;
}

/* Probe one control file; false if it cannot be opened (gone, say). */
static bool ql_probe(const char *path, struct ql_entry *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	FILE *fp;

	if (fd < 0)
		return false;
	e->locked = qlock(fd, QLOCK_SH | QLOCK_NB) < 0 && errno == EWOULDBLOCK;
	fp = fdopen(fd, "r");
	if (fp == NULL) {
		close(fd);
		return false;
	}
	e->pri = ql_priority(fp);
	fclose(fp);
	return true;
}

static int ql_cmp(const void *a, const void *b)
{
	const struct ql_entry *x = a, *y = b;

	if (x->pri != y->pri)
		return x->pri < y->pri ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Step 1 and 2: the sorted work list of a directory (arena array). */
static size_t ql_gather(const struct qdir *d, enum qlist_mode mode, struct sm_arena *a,
			struct ql_entry **out)
{
	struct sm_buf dir = SM_BUF_INIT, path = SM_BUF_INIT;
	struct ql_entry *v = NULL;
	size_t n = 0, cap = 0;
	int letter = ql_letter(mode);
	struct dirent *de;
	DIR *dp;

	qdir_subdir(d, QT_CONTROL, &dir);
	dp = opendir(sm_buf_str(&dir));
	while (dp != NULL && (de = readdir(dp)) != NULL && n < QL_MAX_ENTRIES) {
		if (de->d_name[0] != letter || de->d_name[1] != 'f' || de->d_name[2] == '\0')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = sm_reallocarray(v, cap, sizeof(*v));
		}
		sm_buf_reset(&path);
		sm_buf_printf(&path, "%s/%s", sm_buf_str(&dir), de->d_name);
		if (!ql_probe(sm_buf_str(&path), &v[n]))
			continue;
		v[n].name = sm_arena_strdup(a, de->d_name);
		v[n].order = n;
		n++;
	}
	if (dp != NULL)
		closedir(dp);
	if (n > 0)
		qsort(v, n, sizeof(*v), ql_cmp);
	*out = sm_arena_array(a, n ? n : 1, sizeof(**out));
	if (n > 0)
		memcpy(*out, v, n * sizeof(*v));
	free(v);
	sm_buf_free(&dir);
	sm_buf_free(&path);
	return n;
}

/* ctime(3) text: "Sat Nov 21 23:44:03 2026" (local time, C locale). */
static void ql_ctime(long long t, char out[32])
{
	static const char days[] = "SunMonTueWedThuFriSat";
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	snprintf(out, 32, "%.3s %.3s%3d %.2d:%.2d:%.2d %d", days + 3 * (tm.tm_wday % 7),
		 months + 3 * (tm.tm_mon % 12), tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 tm.tm_year + 1900);
}

/*
 * Print at most max characters of s as 8.17's prtstr: a backslash is
 * doubled (two of the budget), other printable ASCII as is, anything else
 * as "\ooo" (four of the budget, and only when more than that is left).
 */
static void ql_prtstr(FILE *out, const char *s, int max)
{
	int left = max;

	for (; left-- > 0 && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\') {
			if (left-- > 0)
				fputs("\\\\", out);
		} else if (c >= 0x20 && c < 0x7f) {
			fputc(c, out);
		} else if ((left -= 3) > 0) {
			fprintf(out, "\\%03o", c);
		}
	}
}

/* Keep at most max bytes of text in b (8.17's fixed buffers). */
static void ql_keep(struct sm_buf *b, const char *text, size_t max)
{
	size_t n = strlen(text);

	sm_buf_reset(b);
	sm_buf_append(b, text, n > max ? max : n);
}

/* The S line: size, time, sender, then quarantine, body type, status. */
static void ql_sender(FILE *out, struct ql_state *st, const struct ql_entry *e, long dfsize,
		      const char *sender, const struct qlist_opts *o)
{
	char when[32];
	int width = o->verbose ? 100 : 60;

	ql_ctime(st->ctime, when);
	if (o->verbose)
		fprintf(out, "%8ld %10ld%c%.12s ", dfsize, e->pri, st->warned ? '+' : ' ',
			when + 4);
	else
		fprintf(out, "%8ld %.16s ", dfsize, when);
	ql_prtstr(out, sender, o->verbose ? 78 : 39);
	if (st->quarmsg.len > 0) {
		fprintf(out, "\n     QUARANTINE: %.*s", width, sm_buf_str(&st->quarmsg));
		sm_buf_reset(&st->quarmsg);
	}
	if (st->statmsg.len > 0 || st->bodytype.len > 0) {
		fprintf(out, "\n    %10.10s", sm_buf_str(&st->bodytype));
		if (st->statmsg.len > 0)
			fprintf(out, "   (%.*s)", width, sm_buf_str(&st->statmsg));
		sm_buf_reset(&st->statmsg);
	}
}

/* An R line: the address after the flags, and the status under -v. */
static void ql_rcpt(FILE *out, struct ql_state *st, const char *text,
		    const struct qlist_opts *o)
{
	if (st->version >= 1) {
		text = strchr(text, ':');
		if (text == NULL)
			return;
		text++;
	}
	fputs(o->verbose ? "\n\t\t\t\t\t\t" : "\n\t\t\t\t\t ", out);
	ql_prtstr(out, text, o->verbose ? 71 : 38);
	if (o->verbose && st->statmsg.len > 0) {
		fprintf(out, "\n\t\t (%.100s)", sm_buf_str(&st->statmsg));
		sm_buf_reset(&st->statmsg);
	}
}

/* One qf line in the printing pass. */
static void ql_line(FILE *out, struct ql_state *st, const struct ql_entry *e, long dfsize,
		    const char *s, const struct qlist_opts *o)
{
	switch (s[0]) {
	case 'V': st->version = atoi(s + 1); break;
	case 'M': ql_keep(&st->statmsg, s + 1, QL_MSG_MAX); break;
	case 'q': ql_keep(&st->quarmsg, s + 1, QL_MSG_MAX); break;
	case 'B': ql_keep(&st->bodytype, s + 1, QL_BODY_MAX); break;
	case 'S': ql_sender(out, st, e, dfsize, s + 1, o); break;
	case 'R': ql_rcpt(out, st, s + 1, o); break;
	case 'T': st->ctime = atol(s + 1); break;
	case 'F': st->warned = st->warned || strchr(s + 1, 'w') != NULL; break;
	case 'C':
		if (o->verbose)
			fprintf(out, "\n\t\t\t\t\t\t(---%.64s---)", s + 1);
		break;
	default: break;
	}
}

/* Size of the df, looking in the qf's d directory if it is not where
 * the directory layout says; -1 if there is none. */
static long ql_dfsize(const struct qdir *d, const char *id, FILE *qf)
{
	struct sm_buf path = SM_BUF_INIT, line = SM_BUF_INIT;
	struct stat st;
	long size = -1;
	int trunc;

	qdir_file(d, QT_DATA, id, &path);
	if (stat(sm_buf_str(&path), &st) == 0)
		size = (long)st.st_size;
	for (int n = 0; size < 0 && n < 1000000 && sm_getline(qf, &line, QL_MAX_LINE, &trunc) > 0;
	     n++) {
		if (sm_buf_str(&line)[0] != 'd')
			continue;
		sm_buf_reset(&path);
		sm_buf_printf(&path, "%s/df%s", line.data + 1, id);
		if (stat(sm_buf_str(&path), &st) == 0)
			size = (long)st.st_size;
		break;
	}
	rewind(qf);
	sm_buf_free(&path);
	sm_buf_free(&line);
	return size;
}

/* Step 3 for one entry. */
static void ql_entry(FILE *out, const struct qdir *d, const struct ql_entry *e,
		     const struct qlist_opts *o)
{
	struct ql_state st = {0};
	struct sm_buf path = SM_BUF_INIT, line = SM_BUF_INIT;
	const char *id = e->name + 2;
	FILE *fp;
	int trunc;
	long dfsize;

	fprintf(out, "%13s", id);
	qdir_subdir(d, QT_CONTROL, &path);
	sm_buf_printf(&path, "/%s", e->name);
	fp = fopen(sm_buf_str(&path), "r");
	sm_buf_free(&path);
	if (fp == NULL) {
		fprintf(out, " (%s)\n", errno == EPERM ? "permission denied"
				       : errno == ENOENT ? "job completed" : strerror(errno));
		return;
	}
	dfsize = ql_dfsize(d, id, fp);
	fputc(e->locked ? '*' : o->mode == QL_LOST ? '?' : ' ', out);
	for (int n = 0; n < 10000000 && sm_getline(fp, &line, QL_MAX_LINE, &trunc) > 0; n++)
		ql_line(out, &st, e, dfsize, sm_buf_str(&line), o);
	if (st.ctime == 0)
		fputs(" (no control file)", out);
	fputc('\n', out);
	fclose(fp);
	sm_buf_free(&line);
	sm_buf_free(&st.statmsg);
	sm_buf_free(&st.quarmsg);
	sm_buf_free(&st.bodytype);
}

int queue_list_dir(FILE *out, const struct qdir *d, const struct qlist_opts *o)
{
	struct sm_arena *a = sm_arena_new();
	struct sm_buf name = SM_BUF_INIT;
	struct ql_entry *v;
	size_t n = ql_gather(d, o->mode, a, &v), shown = n;

	qdir_display(d, &name);
	if (n == 0) {
		fprintf(out, "%s is empty\n", sm_buf_str(&name));
	} else {
		fprintf(out, "\t\t%s (%zu request%s", sm_buf_str(&name), n, n == 1 ? "" : "s");
		if (o->max_print > 0 && n > (size_t)o->max_print) {
			fprintf(out, ", only %d printed", o->max_print);
			shown = (size_t)o->max_print;
		}
		fputs(o->verbose ? ")\n-----Q-ID----- --Size-- -Priority- ---Q-Time--- "
				   "--------Sender/Recipient--------\n"
				 : ")\n-----Q-ID----- --Size-- -----Q-Time----- "
				   "------------Sender/Recipient-----------\n",
		      out);
		for (size_t i = 0; i < shown; i++)
			ql_entry(out, d, &v[i], o);
	}
	sm_buf_free(&name);
	sm_arena_free(a);
	return (int)n;
}

int queue_list(FILE *out, const char *spec, const struct qlist_opts *o)
{
	struct sm_arena *a = sm_arena_new();
	struct qdir *dirs;
	size_t n = qdir_expand(spec, a, &dirs);
	int total = 0;

	for (size_t i = 0; i < n; i++)
		total += queue_list_dir(out, &dirs[i], o);
	fprintf(out, "\t\tTotal requests: %d\n", total);
	sm_arena_free(a);
	return total;
}

int queue_count(const char *spec, enum qlist_mode mode)
{
	struct sm_arena *a = sm_arena_new();
	struct qdir *dirs;
	struct ql_entry *v;
	size_t n = qdir_expand(spec, a, &dirs);
	int total = 0;

	for (size_t i = 0; i < n; i++)
		total += (int)ql_gather(&dirs[i], mode, a, &v);
	sm_arena_free(a);
	return total;
}
