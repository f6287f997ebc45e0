/*
 * main: sendmail's command line and mode dispatch.
 *
 * The command line is Sendmail 8.17's: every flag it accepts is a row of
 * FLAGS below (letter, argument kind, handler), so parsing, documentation
 * and `-d` dumps come from one place.  Flags end at the first word that
 * does not start with '-' or at "--"; the rest are recipient addresses.
 * Messages are Sendmail's, on the stream it uses: getopt-style complaints
 * ("illegal option -- x") on stderr, user errors ("Bad hop count (x)") on
 * stdout, where address test mode prints too.
 *
 * The program name picks the default mode (mailq = -bp, newaliases = -bi,
 * hoststat = -bh, purgestat = -bH, smtpd = -bd).  MODES maps each -b
 * letter to its runner; modes that are not written yet exit with
 * EX_UNAVAILABLE and say so.  Written: -bm (submission, sendmail/envelope),
 * -bv (verify), -bp / mailq (sendmail/queue), -bP, -bi / newaliases
 * (sendmail/alias), -bt (rules/bt.c), and -q (queue runs, sendmail/deliver).
 *
 * The configuration: -C names it; otherwise sendmail.cf, or submit.cf
 * (the mail submission program's) for -bm and -t when it exists, unless
 * -Am; -Ac always picks submit.cf.  Submission (main_submit.c) reads the
 * message, expands the recipients, queues df then qf, and then delivers
 * according to DeliveryMode (-odi: now; -odb: in a child; -odq/-odd: the
 * next queue run).
 *
 * Exit status: EX_USAGE for bad flags; otherwise the status the mode
 * returns, raised by the errors met on the way (as Sendmail's ExitStat).
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_exit.h"
#include "sendmail/alias/alias.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/options.h"
#include "sendmail/daemon/daemon.h"
#include "sendmail/deliver/deliver.h"
#include "sendmail/envelope/envelope.h"
#include "sendmail/queue/queue.h"
#include "sendmail/map/map.h"
#include "sendmail/rules/bt.h"
#include "sendmail/rules/debug.h"

#define DEFAULT_CF   "/etc/mail/sendmail.cf"
#define SUBMIT_CF    "/etc/mail/submit.cf"
#define MAX_SETTINGS 256 /* -o/-O/-M/-q flags kept for after readcf */

enum { NOTIFY_SET = 1, NOTIFY_SUCCESS = 2, NOTIFY_FAILURE = 4, NOTIFY_DELAY = 8 };

/* What the command line asked for. */
struct cmdline {
	struct sm_arena *arena; /* strings built from the flags */
	const char *argv0;
	int mode;            /* -b letter: 'm' deliver (default), 't' test, ... */
	const char *cf_path; /* -C */
	bool cf_given;
	int role;                        /* -A: 'm' sendmail.cf, 'c' submit.cf, 0 default */
	const char *from;                /* -f / -r */
	const char *fullname;            /* -F */
	int ret_seen;                    /* -R given */
	int ret;                         /* -R: 'h' hdrs, 'f' full, 0 none */
	unsigned notify;                 /* -N: NOTIFY_* */
	const char *envid;               /* -V */
	const char *bodytype;            /* -B: "7BIT" / "8BITMIME" */
	int hopcount;                    /* -h */
	const char *logtag;              /* -L */
	const char *xlog;                /* -X */
	bool grabto;                     /* -t */
	bool noalias;                    /* -n */
	bool queue_flag;                 /* -q seen */
	const char *qargs[MAX_SETTINGS]; /* the text after each -q */
	int nqargs;
	bool quarantine_flag;              /* -Q seen */
	bool verbose;                      /* -v */
	int exitstat;                      /* Sendmail's ExitStat so far */
	const char *options[MAX_SETTINGS]; /* -o "cvalue" / -O "Name=value", in order */
	int noptions;
	const char *macros[MAX_SETTINGS]; /* -M "xvalue", -p as "r..." / "s..." */
	int nmacros;
	char **recipients;
	int nrecipients;
};

static int main_submit(struct cmdline *c);
static int main_verify(struct cmdline *c);
static int main_mailq(struct cmdline *c);
static int main_counts(struct cmdline *c);
static int main_newaliases(struct cmdline *c);
static int main_queue_run(struct cmdline *c);

/*
 * How a flag takes its argument: none; required (rest of the word, else
 * the next word); optional and attached only (-d, -q, -Q); optional,
 * attached or the next word unless that is a flag (-C).
 */
enum argkind { NOARG, REQARG, OPTARG, OPTNEXT };

struct flag {
	char letter;
	enum argkind arg;
	/* Returns 0 to go on, or an exit status to stop at once. */
	int (*handle)(struct cmdline *c, const char *arg);
	const char *doc;
};

/* ---- handlers ---- */

static void add_option(struct cmdline *c, const char *text)
{
	if (c->noptions < MAX_SETTINGS)
		c->options[c->noptions++] = text;
}

static void add_macro(struct cmdline *c, const char *text)
{
	if (c->nmacros < MAX_SETTINGS)
		c->macros[c->nmacros++] = text;
}

/* Print a user error as Sendmail does before any mode starts (stdout). */
static void usrerr(struct cmdline *c, int status, const char *fmt, const char *arg)
{
	printf(fmt, arg);
	putchar('\n');
	if (c->exitstat == 0)
		c->exitstat = status;
}

static int f_mode(struct cmdline *c, const char *arg)
{
	static const char modes[] = "adDhHimpPstvC";

	if (arg[0] == 'z') {
		printf("Frozen configurations unsupported\n");
		return EX_USAGE;
	}
	if (arg[0] == '\0' || strchr(modes, arg[0]) == NULL) {
		printf("Invalid operation mode %c\n", arg[0]);
		return EX_USAGE;
	}
	c->mode = arg[0];
	return 0;
}

static int f_cf(struct cmdline *c, const char *arg)
{
	c->cf_path = arg != NULL ? arg : "sendmail.cf";
	c->cf_given = true;
	return 0;
}

static int f_debug(struct cmdline *c, const char *arg)
{
	debug_set(arg != NULL ? arg : "");
	return 0;
}

static int f_body(struct cmdline *c, const char *arg)
{
	if (strcasecmp(arg, "7bit") != 0 && strcasecmp(arg, "8bitmime") != 0)
		usrerr(c, 0, "Illegal body type %s", arg);
	else
		c->bodytype = strcasecmp(arg, "7bit") == 0 ? "7BIT" : "8BITMIME";
	return 0;
}

static int f_from(struct cmdline *c, const char *arg)
{
	if (c->from != NULL) {
		usrerr(c, EX_USAGE, "More than one \"from\" person", NULL);
		return 0;
	}
	c->from = arg;
	return 0;
}

static int f_fullname(struct cmdline *c, const char *arg)
{
	c->fullname = arg;
	return 0;
}

static int f_hops(struct cmdline *c, const char *arg)
{
	char *end;

	c->hopcount = (int)strtol(arg, &end, 10);
	if (*end != '\0')
		usrerr(c, EX_USAGE, "Bad hop count (%s)", arg);
	return 0;
}

/* -N never | success,failure,delay (any order, case-insensitive). */
static int f_notify(struct cmdline *c, const char *arg)
{
	const char *p = arg;
	bool never = false, other = false, bad = false;
	int words;

	for (words = 0; *p != '\0' && words < 64; words++) {
		size_t n = strcspn(p, ",");

		if (n == 5 && strncasecmp(p, "never", 5) == 0)
			never = true;
		else if (n == 7 && strncasecmp(p, "success", 7) == 0)
			other = true, c->notify |= NOTIFY_SUCCESS;
		else if (n == 7 && strncasecmp(p, "failure", 7) == 0)
			other = true, c->notify |= NOTIFY_FAILURE;
		else if (n == 5 && strncasecmp(p, "delay", 5) == 0)
			other = true, c->notify |= NOTIFY_DELAY;
		else
			bad = true;
		p += n;
		if (*p == ',')
			p++;
	}
	if (bad || (never && other))
		usrerr(c, EX_USAGE, "Invalid -N argument", NULL);
	else
		c->notify |= NOTIFY_SET;
	return 0;
}

/* -O Name=value: stored as the O-line text " Name=value". */
static int f_long_option(struct cmdline *c, const char *arg)
{
	add_option(c, sm_arena_printf(c->arena, " %s", arg));
	return 0;
}

/* -oXvalue: stored as the O-line text "Xvalue" (legacy one-letter form). */
static int f_short_option(struct cmdline *c, const char *arg)
{
	add_option(c, arg);
	return 0;
}

/* A one-letter option set by a legacy flag (-c, -i, -m, -s, -e x). */
static int f_legacy(struct cmdline *c, const char *text)
{
	add_option(c, text);
	return 0;
}

static int f_hold(struct cmdline *c, const char *arg)
{
	return f_legacy(c, "c");
}

static int f_dots(struct cmdline *c, const char *arg)
{
	return f_legacy(c, "i");
}

static int f_metoo(struct cmdline *c, const char *arg)
{
	return f_legacy(c, "m");
}

static int f_savefrom(struct cmdline *c, const char *arg)
{
	return f_legacy(c, "f");
}

static int f_errmode(struct cmdline *c, const char *arg)
{
	return f_legacy(c, sm_arena_printf(c->arena, "e%s", arg));
}

static int f_macro(struct cmdline *c, const char *arg)
{
	add_macro(c, arg);
	return 0;
}

/* -p protocol[:host]: $r and $s. */
static int f_proto(struct cmdline *c, const char *arg)
{
	const char *colon = strchr(arg, ':');
	int n = colon != NULL ? (int)(colon - arg) : (int)strlen(arg);

	add_macro(c, sm_arena_printf(c->arena, "r%.*s", n, arg));
	if (colon != NULL)
		add_macro(c, sm_arena_printf(c->arena, "s%s", colon + 1));
	return 0;
}

static int f_queue(struct cmdline *c, const char *arg)
{
	c->queue_flag = true;
	if (c->nqargs < MAX_SETTINGS)
		c->qargs[c->nqargs++] = arg != NULL ? arg : "";
	return 0;
}

static int f_quarantine(struct cmdline *c, const char *arg)
{
	c->quarantine_flag = true;
	return 0;
}

static int f_ret(struct cmdline *c, const char *arg)
{
	if (c->ret_seen++) {
		usrerr(c, EX_USAGE, "Duplicate -R flag", NULL);
		return 0;
	}
	if (strcasecmp(arg, "hdrs") != 0 && strcasecmp(arg, "full") != 0)
		usrerr(c, EX_USAGE, "Invalid -R value", NULL);
	else
		c->ret = strcasecmp(arg, "hdrs") == 0 ? 'h' : 'f';
	return 0;
}

/* -T: an obsolete timeout flag the reference still parses, badly. */
static int f_obsolete_t(struct cmdline *c, const char *arg)
{
	printf("Invalid time unit `T'\n");
	printf("Invalid time unit `T'\n");
	return 0;
}

static int f_verbose(struct cmdline *c, const char *arg)
{
	c->verbose = true;
	return 0;
}

/* -I and -U: not in the reference's build; it exits 64 without a word. */
static int f_rejected(struct cmdline *c, const char *arg)
{
	return EX_USAGE;
}

/* Accepted and recorded nowhere yet (they matter to modes not written). */
static int f_accept(struct cmdline *c, const char *arg)
{
	return 0;
}

/* -Am / -Ac: which configuration (MTA or MSP). */
static int f_role(struct cmdline *c, const char *arg)
{
	if (arg[0] == 'm' || arg[0] == 'c')
		c->role = arg[0];
	return 0;
}

static int f_grabto(struct cmdline *c, const char *arg)
{
	c->grabto = true;
	return 0;
}

static int f_envid(struct cmdline *c, const char *arg)
{
	c->envid = arg;
	return 0;
}

static int f_logtag(struct cmdline *c, const char *arg)
{
	c->logtag = arg;
	return 0;
}

static int f_noalias(struct cmdline *c, const char *arg)
{
	c->noalias = true;
	return 0;
}

static int f_xlog(struct cmdline *c, const char *arg)
{
	c->xlog = arg;
	return 0;
}

static const struct flag FLAGS[] = {
    {'A', REQARG, f_role, "-Ac / -Am: use submit.cf / sendmail.cf"},
    {'B', REQARG, f_body, "body type 7BIT or 8BITMIME"},
    {'b', REQARG, f_mode, "operation mode"},
    {'C', OPTNEXT, f_cf, "configuration file (default sendmail.cf)"},
    {'c', NOARG, f_hold, "HoldExpensive"},
    {'D', REQARG, f_accept, "debug output file"},
    {'d', OPTARG, f_debug, "debug flags"},
    {'e', REQARG, f_errmode, "ErrorMode"},
    {'F', REQARG, f_fullname, "sender full name"},
    {'f', REQARG, f_from, "envelope sender"},
    {'G', NOARG, f_accept, "relay (gateway) submission"},
    {'h', REQARG, f_hops, "hop count"},
    {'I', NOARG, f_rejected, "not supported by the reference build"},
    {'i', NOARG, f_dots, "IgnoreDots"},
    {'L', REQARG, f_logtag, "syslog tag"},
    {'M', REQARG, f_macro, "define macro"},
    {'m', NOARG, f_metoo, "MeToo"},
    {'N', REQARG, f_notify, "DSN NOTIFY"},
    {'n', NOARG, f_noalias, "no aliasing"},
    {'O', REQARG, f_long_option, "set option Name=value"},
    {'o', REQARG, f_short_option, "set legacy option"},
    {'p', REQARG, f_proto, "protocol[:host]"},
    {'Q', OPTARG, f_quarantine, "quarantine reason"},
    {'q', OPTARG, f_queue, "queue run"},
    {'R', REQARG, f_ret, "DSN RET hdrs|full"},
    {'r', REQARG, f_from, "envelope sender (old name)"},
    {'s', NOARG, f_savefrom, "SaveFromLine"},
    {'T', NOARG, f_obsolete_t, "obsolete"},
    {'t', NOARG, f_grabto, "recipients from headers"},
    {'U', NOARG, f_rejected, "not supported by the reference build"},
    {'V', REQARG, f_envid, "DSN ENVID"},
    {'v', NOARG, f_verbose, "verbose"},
    {'X', REQARG, f_xlog, "traffic log file"},
};

static const struct flag *find_flag(int letter)
{
	for (size_t i = 0; i < sizeof(FLAGS) / sizeof(FLAGS[0]); i++)
		if (FLAGS[i].letter == letter)
			return &FLAGS[i];
	return NULL;
}

/* ---- parsing ---- */

/* getopt's complaint, on stderr as the reference prints it. */
static int bad_flag(const struct cmdline *c, const char *what, int letter)
{
	fprintf(stderr, "%s: %s -- %c\n", c->argv0, what, letter);
	return EX_USAGE;
}

/*
 * One "-xyz" word (and maybe the next word, for a flag's argument).
 * Returns 0 to go on, or an exit status.
 */
static int parse_word(struct cmdline *c, char **argv, int *ip)
{
	const char *w = argv[*ip];

	for (size_t j = 1; w[j] != '\0'; j++) {
		const struct flag *f = find_flag((unsigned char)w[j]);
		const char *arg = NULL;
		int rc;

		if (f == NULL)
			return bad_flag(c, "illegal option", w[j]);
		if (f->arg != NOARG && w[j + 1] != '\0')
			arg = w + j + 1;
		else if (f->arg == REQARG) {
			if (argv[*ip + 1] == NULL)
				return bad_flag(c, "option requires an argument", w[j]);
			arg = argv[++*ip];
		} else if (f->arg == OPTNEXT && argv[*ip + 1] != NULL && argv[*ip + 1][0] != '-')
			arg = argv[++*ip];
		rc = f->handle(c, arg);
		if (rc != 0)
			return rc;
		if (f->arg != NOARG)
			break; /* the argument used the rest of the word */
	}
	return 0;
}

static int parse_args(struct cmdline *c, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *w = argv[i];
		int rc;

		if (w[0] != '-' || w[1] == '\0')
			break;
		if (strcmp(w, "--") == 0) {
			i++;
			break;
		}
		rc = parse_word(c, argv, &i);
		if (rc != 0)
			return rc;
	}
	c->recipients = argv + i;
	c->nrecipients = argc - i;
	return 0;
}

/* The default mode for the name we were called by. */
static int mode_for_name(const char *argv0)
{
	static const struct {
		const char *name;
		int mode;
	} names[] = {
	    {"mailq", 'p'},     {"newaliases", 'i'}, {"hoststat", 'h'},
	    {"purgestat", 'H'}, {"smtpd", 'd'},
	};
	const char *base = strrchr(argv0, '/');

	base = base != NULL ? base + 1 : argv0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(base, names[i].name) == 0)
			return names[i].mode;
	return 'm';
}

/* ---- modes ---- */

static void main_apply_options(struct cmdline *c, struct config *cf)
{
	for (int i = 0; i < c->noptions; i++)
		(void)option_set_line(cf, c->options[i], false);
}

/* Flags that do not go with the mode chosen (checked before reading the cf). */
static void check_combinations(struct cmdline *c)
{
	if (c->queue_flag && strchr("mdDpP", c->mode) == NULL)
		usrerr(c, EX_USAGE, "Can not use -q with -b%s", (char[]){(char)c->mode, '\0'});
	if (c->quarantine_flag && strchr("mp", c->mode) == NULL)
		usrerr(c, EX_USAGE, "Can not use -Q with -b%s", (char[]){(char)c->mode, '\0'});
}

static void main_apply_macros(const struct cmdline *c, struct macros *m)
{
	for (int i = 0; i < c->nmacros; i++) {
		const char *end;
		int id = macro_parse_name(c->macros[i], &end);

		if (id >= 0)
			macro_set(m, id, end);
	}
	if (c->fullname != NULL)
		macro_set(m, macro_id("x"), c->fullname);
}

static int main_worst(int a, int b)
{
	return a != 0 ? a : b;
}

/* The configuration for this run: -C, else sendmail.cf or submit.cf (-A, mode). */
static struct config *main_readcf(struct cmdline *c)
{
	char mode[2] = {(char)c->mode, '\0'};
	struct config *cf;

	if (!c->cf_given) {
		bool msp = c->role == 'c' ||
		           (c->role != 'm' && (c->mode == 'm' || c->mode == 's' || c->grabto) &&
		            !c->queue_flag && access(SUBMIT_CF, R_OK) == 0);

		c->cf_path = msp ? SUBMIT_CF : DEFAULT_CF;
	}
	readcf_define("{opMode}", mode);
	readcf_define("{deliveryMode}", "i");
	cf = readcf(c->cf_path, !c->cf_given);
	main_apply_options(c, cf);
	return cf;
}

static int run_test(struct cmdline *c)
{
	struct config *cf;
	struct bt_session *s;
	int status;

	cf = main_readcf(c);
	/* the first failure decides, as Sendmail's ExitStat: flags, then the cf */
	status = main_worst(c->exitstat, main_worst(cf->exitstat, map_exit_status(cf->maps)));
	s = bt_new(cf, stdout, c->verbose ? BT_ECHO : BT_PROMPT, status);
	main_apply_macros(c, s->macros);
	status = bt_run(s, stdin);
	bt_free(s);
	config_free(cf);
	return status;
}

static int run_unavailable(struct cmdline *c)
{
	printf("sendmail: operation mode -b%c is not implemented yet\n", c->mode);
	return EX_UNAVAILABLE;
}

/* ---- submission (-bm), verify (-bv) ---- */

/* The first queue directory of the QueueDirectory option (NULL if unset). */
static const struct qdir *first_qdir(struct config *cf, struct sm_arena *a)
{
	const char *spec = opt_raw(cf->opt, OPT_QUEUE_DIRECTORY);
	struct qdir *dirs;

	if (spec == NULL || *spec == '\0')
		spec = "/var/spool/mqueue";
	if (strchr(spec, '*') != NULL) {
		if (qdir_expand(spec, a, &dirs) > 0)
			return &dirs[0];
		return NULL;
	}
	dirs = sm_arena_zalloc(a, sizeof(*dirs));
	qdir_init(dirs, spec, a);
	return dirs;
}

/* The envelope for -bm / -bv: macros, sender, DSN parameters from the flags. */
static struct envelope *new_envelope(struct cmdline *c, struct config *cf)
{
	struct envelope *e = env_new(cf, c->arena, stdout);
	const char *j = macro_get(cf->macros, macro_id("j"));

	main_apply_macros(c, e->macros);
	if (macro_get(e->macros, macro_id("{daemon_flags}")) == NULL)
		macro_set(e->macros, macro_id("{daemon_flags}"), "c u");
	if (macro_get(e->macros, macro_id("_")) == NULL)
		macro_set(e->macros, macro_id("_"),
		          sm_arena_printf(c->arena, "%s@localhost", e->user));
	(void)j;
	e->no_alias = c->noalias;
	e->vrfy_verbose = c->verbose;
	e->hopcount = c->hopcount;
	e->envid = c->envid;
	e->bodytype = c->bodytype;
	if (c->notify & NOTIFY_SET) {
		e->rcpt_notify = ER_NOTIFY_SET;
		if (c->notify & NOTIFY_SUCCESS)
			e->rcpt_notify |= ER_NOTIFY_SUCCESS;
		if (c->notify & NOTIFY_FAILURE)
			e->rcpt_notify |= ER_NOTIFY_FAILURE;
		if (c->notify & NOTIFY_DELAY)
			e->rcpt_notify |= ER_NOTIFY_DELAY;
	}
	if (c->ret != 0)
		e->eflags |= EF_RET_PARAM | (c->ret == 'h' ? EF_NO_BODY_RETN : 0);
	e->exitstat = c->exitstat;
	return e;
}

/* Dates and time macros of a new message: $b $d $t (and $a until a Date: is seen). */
static void time_macros(struct envelope *e)
{
	struct sm_buf b = SM_BUF_INIT;
	char buf[64];
	struct tm gm = *gmtime(&e->ctime);

	env_arpadate(e->ctime, &b);
	macro_set(e->macros, macro_id("b"), sm_buf_str(&b));
	sm_buf_free(&b);
	strftime(buf, sizeof(buf), "%Y%m%d%H%M", &gm);
	macro_set(e->macros, macro_id("t"), buf);
	strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y", localtime(&e->ctime));
	macro_set(e->macros, macro_id("d"), buf);
}

/* Command-line recipients, each word a list of its own. */
static void argv_recipients(struct cmdline *c, struct envelope *e)
{
	for (int i = 0; i < c->nrecipients; i++)
		(void)env_sendtolist(e, c->recipients[i], NULL, 0, 0);
}

static bool any_sendable(const struct envelope *e)
{
	for (const struct env_rcpt *r = e->rcpts; r != NULL; r = r->next)
		if (env_rcpt_queued(r))
			return true;
	return false;
}

/* MaxHopCount: every recipient fails (5.4.6) as Sendmail's sendall does. */
static bool too_many_hops(struct envelope *e)
{
	long max = opt_num(e->cf->opt, OPT_MAX_HOP_COUNT);

	if (e->hopcount <= max)
		return false;
	env_usrerr(e, NULL, EX_UNAVAILABLE, "Too many hops %d (%ld max): from %s via %s, to %s",
	           e->hopcount, max, e->sender, "localhost",
	           e->rcpts != NULL ? e->rcpts->paddr : "");
	for (struct env_rcpt *r = e->rcpts; r != NULL; r = r->next)
		if (env_rcpt_queued(r)) {
			r->state = RS_BADADDR;
			r->status = "5.4.6";
		}
	return true;
}

/* After the qf is on disk: deliver now (-odi), in a child (-odb), or leave it. */
static int deliver_now(struct cmdline *c, struct config *cf, const struct qdir *d,
                       struct envelope *e)
{
	int mode = (int)opt_num(cf->opt, OPT_DELIVERY_MODE);
	struct dlv_run run;

	if (mode != 'i' && mode != 'b' && mode != 'I')
		return EX_OK;
	if (opt_bool(cf->opt, OPT_USE_MSP))
		return EX_OK; /* the MSP relays by SMTP: not written yet, stays queued */
	dlv_run_init(&run);
	run.verbose = c->verbose;
	run.vout = stdout;
	if (e->df_fd >= 0) {
		close(e->df_fd);
		e->df_fd = -1;
	}
	return dlv_deliver_id(cf, d->path, e->id, mode == 'b', &run);
}

/* Recipients that failed during submission: dead.letter or a DSN, by
 * ErrorMode (Sendmail's savemail); the exit status to use. */
static int submit_failures(struct cmdline *c, struct config *cf, const struct qdir *d,
                           struct envelope *e)
{
	struct dlv_run run;

	dlv_run_init(&run);
	run.verbose = c->verbose;
	run.vout = stdout;
	return dlv_submit_failures(cf, d, e, &run);
}

/*
 * A message over MaxHeadersLength or MaxMessageSize: 8.17 prints why,
 * returns the message without its body to the sender naming every
 * recipient, queues nothing else, and exits 0.
 */
static int submit_refused(struct cmdline *c, struct config *cf, struct envelope *e,
                          const struct qdir *d)
{
	const char *why = e->message != NULL ? e->message : "Message refused";
	bool size = (e->eflags & EF_NO_BODY_RETN) != 0;
	struct sm_buf df = SM_BUF_INIT;
	struct dlv_run run;

	if (!e->print_errors)
		printf("%s\n", why);
	if (c->grabto)
		(void)env_headers_recipients(e);
	sm_buf_reset(&e->body); /* what was read of it is not returned */
	if (env_assign_id(e, d) != EX_OK)
		return e->exitstat;
	env_headers_finish(e);
	for (struct env_rcpt *r = e->rcpts; r != NULL; r = r->next)
		if (env_rcpt_queued(r)) {
			r->state = RS_BADADDR;
			r->status = "5.0.0";
		}
	dlv_run_init(&run);
	run.verbose = c->verbose;
	run.vout = stdout;
	(void)dlv_return_message(cf, d, e,
	                         sm_arena_printf(c->arena, "552 %s %s", size ? "5.2.3" : "5.6.0", why),
	                         &run);
	qdir_file(d, QT_DATA, e->id, &df);
	(void)unlink(sm_buf_str(&df));
	sm_buf_free(&df);
	return EX_OK;
}

/* Read, expand, queue (Sendmail's -bm). */
static int submit_message(struct cmdline *c, struct config *cf, struct envelope *e,
                          const struct qdir *d)
{
	struct env_collect_opts co = {opt_bool(cf->opt, OPT_IGNORE_DOTS), false,
	                              opt_num(cf->opt, OPT_MAX_MESSAGE_SIZE)};
	int rc;

	/* DeliveryMode=defer: no -D map lookups (the host map) until the queue run */
	map_set_deferred(cf->maps, opt_num(cf->opt, OPT_DELIVERY_MODE) == 'd');
	argv_recipients(c, e);
	rc = env_collect(e, stdin, &co);
	if (rc != EX_OK && (e->eflags & EF_TOOBIG))
		return submit_refused(c, cf, e, d);
	if (rc != EX_OK)
		return main_worst(e->exitstat, rc);
	e->hopcount += c->hopcount;
	if (c->grabto)
		(void)env_headers_recipients(e);
	if (c->grabto && e->rcpts == NULL) {
		env_usrerr(e, NULL, EX_USAGE, "No recipient addresses found in header");
		return e->exitstat;
	}
	rc = env_assign_id(e, d);
	if (rc != EX_OK)
		return main_worst(e->exitstat, rc);
	env_headers_finish(e);
	e->hopcount += 0;
	(void)too_many_hops(e);
	if (!any_sendable(e)) {
		struct sm_buf df = SM_BUF_INIT;

		rc = submit_failures(c, cf, d, e);
		qdir_file(d, QT_DATA, e->id, &df);
		(void)unlink(sm_buf_str(&df));
		sm_buf_free(&df);
		return e->errmode == 'e' ? rc : main_worst(rc, EX_UNAVAILABLE);
	}
	rc = env_queue(e, d);
	if (rc != EX_OK)
		return main_worst(e->exitstat, rc);
	rc = submit_failures(c, cf, d, e);
	(void)deliver_now(c, cf, d, e);
	return rc;
}

/* An ordinary user's -oQ and -C are noted in the message, as 8.17 does. */
static void unsafe_flag_warnings(struct cmdline *c, struct envelope *e)
{
	bool queue_given = false;

	if (getuid() == 0)
		return;
	for (int i = 0; i < c->noptions; i++)
		if (c->options[i][0] == 'Q' ||
		    strncasecmp(c->options[i], " QueueDirectory", 15) == 0)
			queue_given = true;
	if (queue_given)
		env_auth_warning(e, sm_arena_printf(c->arena, "Processed from queue %s",
		                                    opt_raw(e->cf->opt, OPT_QUEUE_DIRECTORY)));
	if (c->cf_given)
		env_auth_warning(e, sm_arena_printf(c->arena, "Processed by %s with -C %s", e->user,
		                                    c->cf_path));
}

static int main_submit(struct cmdline *c)
{
	struct config *cf;
	struct envelope *e;
	const struct qdir *d;
	int rc;

	if (c->nrecipients == 0 && !c->grabto) {
		printf("Recipient names must be specified\n");
		return EX_USAGE;
	}
	cf = main_readcf(c);
	mlog_init(c->logtag);
	d = first_qdir(cf, c->arena);
	e = new_envelope(c, cf);
	time_macros(e);
	if (!env_setsender(e, c->from, c->fullname, env_trusted_user(cf, e->user, getuid()))) {
		rc = e->exitstat;
		env_free(e);
		config_free(cf);
		return rc;
	}
	unsafe_flag_warnings(c, e);
	if (d == NULL) {
		env_usrerr(e, NULL, EX_CONFIG, "cannot find a queue directory");
		rc = e->exitstat;
	} else {
		rc = submit_message(c, cf, e, d);
	}
	env_free(e);
	config_free(cf);
	return rc;
}

static int main_verify(struct cmdline *c)
{
	struct config *cf;
	struct envelope *e;
	int rc;

	if (c->nrecipients == 0) {
		printf("Recipient names must be specified\n");
		return EX_USAGE;
	}
	cf = main_readcf(c);
	e = new_envelope(c, cf);
	time_macros(e);
	(void)env_setsender(e, c->from, c->fullname, true);
	argv_recipients(c, e);
	rc = env_print_verify(e);
	env_free(e);
	config_free(cf);
	return rc;
}

/* ---- the queue: -bp / mailq, -bP, -q ---- */

static int main_mailq(struct cmdline *c)
{
	struct config *cf = main_readcf(c);
	struct qlist_opts o;
	const char *spec = opt_raw(cf->opt, OPT_QUEUE_DIRECTORY);

	memset(&o, 0, sizeof(o));
	o.verbose = c->verbose;
	o.max_print = (int)opt_num(cf->opt, OPT_MAX_QUEUE_RUN_SIZE);
	for (int i = 0; i < c->nqargs; i++) {
		if (c->qargs[i][0] == 'Q')
			o.mode = QL_QUARANTINE;
		else if (c->qargs[i][0] == 'L')
			o.mode = QL_LOST;
	}
	if (spec == NULL)
		spec = "/var/spool/mqueue";
	(void)queue_list(stdout, spec, &o);
	fflush(stdout);
	config_free(cf);
	return EX_OK;
}

/* -bP: Sendmail reads the counts from shared memory (SharedMemoryKey). */
static int main_counts(struct cmdline *c)
{
	struct config *cf = main_readcf(c);
	const char *spec = opt_raw(cf->opt, OPT_QUEUE_DIRECTORY);

	if (opt_num(cf->opt, OPT_SHARED_MEMORY_KEY) == 0) {
		printf("Data unavailable: shared memory not updated\n");
	} else {
		struct qdir *dirs;
		size_t n = qdir_expand(spec != NULL ? spec : "/var/spool/mqueue", c->arena, &dirs);

		for (size_t i = 0; i < n; i++) {
			struct sm_buf name = SM_BUF_INIT;

			qdir_display(&dirs[i], &name);
			printf("%s: entries=%d\n", sm_buf_str(&name),
			       queue_count(dirs[i].path, QL_NORMAL));
			sm_buf_free(&name);
		}
	}
	config_free(cf);
	return EX_OK;
}

static int main_queue_run(struct cmdline *c)
{
	struct config *cf = main_readcf(c);
	struct dlv_run run;
	int rc = EX_OK;

	mlog_init(c->logtag);
	dlv_run_init(&run);
	run.verbose = c->verbose;
	run.vout = stdout;
	for (int i = 0; i < c->nqargs; i++) {
		const char *err = NULL;

		if (dlv_parse_q(&run, c->qargs[i], c->arena, &err) < 0) {
			printf("%s\n", err != NULL ? err : "Invalid -q argument");
			config_free(cf);
			return EX_USAGE;
		}
	}
	if (c->mode == 'p') {
		config_free(cf);
		return main_mailq(c);
	}
	rc = dlv_queue_run(cf, &run);
	config_free(cf);
	return main_worst(c->exitstat, rc);
}

/* ---- newaliases (-bi) ---- */

/* Split an AliasFile value at commas outside quotes (Sendmail's setalias). */
static size_t alias_specs(struct sm_arena *a, const char *v, const char ***out)
{
	size_t n = 0, cap = 8;
	const char **specs = sm_arena_array(a, cap, sizeof(*specs));

	while (v != NULL && *v != '\0' && n < 64) {
		const char *p = v;
		bool quoted = false;

		while (*v == ' ' || *v == '\t')
			v++;
		for (p = v; *p != '\0' && (*p != ',' || quoted); p++)
			if (*p == '"')
				quoted = !quoted;
		if (p > v) {
			if (n == cap) {
				const char **ns = sm_arena_array(a, cap *= 2, sizeof(*ns));

				memcpy(ns, specs, n * sizeof(*ns));
				specs = ns;
			}
			specs[n++] = sm_arena_memdup(a, v, (size_t)(p - v));
		}
		v = *p == ',' ? p + 1 : p;
	}
	*out = specs;
	return n;
}

static int main_newaliases(struct cmdline *c)
{
	struct config *cf = main_readcf(c);
	struct alias_opts o;
	const char **specs;
	size_t n = alias_specs(c->arena, opt_raw(cf->opt, OPT_ALIAS_FILE), &specs);
	int rc;

	struct alias_rules ar;
	const char *qdir = opt_raw(cf->opt, OPT_QUEUE_DIRECTORY);

	/* Sendmail works from the queue directory, and refuses without it. */
	if (qdir != NULL && chdir(qdir) < 0) {
		int err = errno;

		printf("can not chdir(%s%s): %s\n", qdir,
		       *qdir && qdir[strlen(qdir) - 1] == '/' ? "" : "/", strerror(err));
		config_free(cf);
		return EX_CONFIG;
	}
	memset(&o, 0, sizeof(o));
	o.msgs = stdout;
	o.announce = 1;
	o.progname = "newaliases";
	alias_rules_begin(&ar, &o, cf);
	rc = alias_rebuild_all(specs, n, &o);
	rc = main_worst(alias_rules_end(&ar), rc);
	fflush(stdout);
	if (rc == EX_NOINPUT)
		rc = EX_OK;
	rc = main_worst(c->exitstat, main_worst(cf->exitstat, rc));
	config_free(cf);
	return rc;
}

/* ---- the SMTP server: -bd, -bD (daemon/), -bs ---- */

static char **saved_argv; /* for the daemon's SIGHUP re-exec */

static int main_daemon(struct cmdline *c)
{
	struct config *cf = main_readcf(c);
	struct dlv_run run;
	struct daemon_args a;
	int rc;

	dlv_run_init(&run);
	memset(&a, 0, sizeof(a));
	for (int i = 0; i < c->nqargs; i++) {
		const char *err = NULL;

		if (dlv_parse_q(&run, c->qargs[i], c->arena, &err) < 0) {
			printf("%s\n", err != NULL ? err : "Invalid -q argument");
			config_free(cf);
			return EX_USAGE;
		}
	}
	a.argv = saved_argv;
	a.foreground = c->mode == 'D';
	a.queue_interval = run.interval;
	a.run = &run;
	a.logtag = c->logtag;
	a.cf_path = c->cf_path;
	mlog_init(c->logtag);
	rc = c->mode == 's' ? daemon_stdio(cf, &a) : daemon_main(cf, &a);
	config_free(cf);
	return main_worst(c->exitstat, rc);
}

static const struct mode {
	int letter;
	int (*run)(struct cmdline *c);
} MODES[] = {
    {'t', run_test},   {'m', main_submit}, {'v', main_verify},
    {'p', main_mailq}, {'P', main_counts}, {'i', main_newaliases},
    {'d', main_daemon}, {'D', main_daemon}, {'s', main_daemon},
};

/* -X file: the traffic log, appended to by the delivery side. */
static void open_traffic_log(const struct cmdline *c)
{
	FILE *f;

	if (c->xlog == NULL)
		return;
	f = fopen(c->xlog, "a");
	if (f == NULL) {
		fprintf(stderr, "cannot open %s: %s\n", c->xlog, strerror(errno));
		return;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	dlv_set_traffic_log(f);
}

int main(int argc, char **argv)
{
	struct cmdline c;
	int rc;

	memset(&c, 0, sizeof(c));
	saved_argv = argv;
	c.arena = sm_arena_new();
	c.argv0 = argc > 0 ? argv[0] : "sendmail";
	c.mode = mode_for_name(c.argv0);
	c.cf_path = DEFAULT_CF;
	rc = parse_args(&c, argc, argv);
	if (rc == 0) {
		int (*run)(struct cmdline *) = run_unavailable;

		check_combinations(&c);
		open_traffic_log(&c);
		for (size_t i = 0; i < sizeof(MODES) / sizeof(MODES[0]); i++)
			if (MODES[i].letter == c.mode)
				run = MODES[i].run;
		if (c.mode == 'm' && c.queue_flag && c.nrecipients == 0 && !c.grabto)
			run = main_queue_run;
		rc = run(&c);
	}
	sm_arena_free(c.arena);
	return rc;
}
