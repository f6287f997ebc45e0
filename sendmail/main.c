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
 * EX_UNAVAILABLE and say so.  Today: -bt (address test mode, rules/bt.c).
 *
 * Exit status: EX_USAGE for bad flags; otherwise the status the mode
 * returns, raised by the errors met on the way (as Sendmail's ExitStat).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_exit.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/options.h"
#include "sendmail/map/map.h"
#include "sendmail/rules/bt.h"
#include "sendmail/rules/debug.h"

#define DEFAULT_CF "/etc/mail/sendmail.cf"
#define MAX_SETTINGS 256 /* -o/-O/-M flags kept for after readcf */

/* What the command line asked for. */
struct cmdline {
	struct sm_arena *arena; /* strings built from the flags */
	const char *argv0;
	int mode;             /* -b letter: 'm' deliver (default), 't' test, ... */
	const char *cf_path;  /* -C */
	bool cf_given;
	const char *from;     /* -f / -r */
	const char *fullname; /* -F */
	int ret_seen;         /* -R given */
	bool queue_flag;      /* -q seen */
	bool quarantine_flag; /* -Q seen */
	bool verbose;         /* -v */
	int exitstat;         /* Sendmail's ExitStat so far */
	const char *options[MAX_SETTINGS]; /* -o "cvalue" / -O "Name=value", in order */
	int noptions;
	const char *macros[MAX_SETTINGS];  /* -M "xvalue", -p as "r..." / "s..." */
	int nmacros;
	char **recipients;
	int nrecipients;
};

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

	(void)strtol(arg, &end, 10);
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
		else if ((n == 7 && strncasecmp(p, "success", 7) == 0) ||
			 (n == 7 && strncasecmp(p, "failure", 7) == 0) ||
			 (n == 5 && strncasecmp(p, "delay", 5) == 0))
			other = true;
		else
			bad = true;
		p += n;
		if (*p == ',')
			p++;
	}
	if (bad || (never && other))
		usrerr(c, EX_USAGE, "Invalid -N argument", NULL);
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

static const struct flag FLAGS[] = {
	{'A', REQARG, f_accept, "-Ac / -Am: use submit.cf / sendmail.cf"},
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
	{'L', REQARG, f_accept, "syslog tag"},
	{'M', REQARG, f_macro, "define macro"},
	{'m', NOARG, f_metoo, "MeToo"},
	{'N', REQARG, f_notify, "DSN NOTIFY"},
	{'n', NOARG, f_accept, "no aliasing"},
	{'O', REQARG, f_long_option, "set option Name=value"},
	{'o', REQARG, f_short_option, "set legacy option"},
	{'p', REQARG, f_proto, "protocol[:host]"},
	{'Q', OPTARG, f_quarantine, "quarantine reason"},
	{'q', OPTARG, f_queue, "queue run"},
	{'R', REQARG, f_ret, "DSN RET hdrs|full"},
	{'r', REQARG, f_from, "envelope sender (old name)"},
	{'s', NOARG, f_savefrom, "SaveFromLine"},
	{'T', NOARG, f_obsolete_t, "obsolete"},
	{'t', NOARG, f_accept, "recipients from headers"},
	{'U', NOARG, f_rejected, "not supported by the reference build"},
	{'V', REQARG, f_accept, "DSN ENVID"},
	{'v', NOARG, f_verbose, "verbose"},
	{'X', REQARG, f_accept, "traffic log file"},
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
		{"mailq", 'p'}, {"newaliases", 'i'}, {"hoststat", 'h'},
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

/* Command-line settings that need the configuration: -o/-O, then -q/-Q checks. */
static void apply_options(struct cmdline *c, struct config *cf)
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

/* -M and -p macros: "xvalue" or "{name}value", into the test envelope. */
static void apply_macros(const struct cmdline *c, struct macros *m)
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

static int worst(int a, int b)
{
	return a != 0 ? a : b;
}

static int run_test(struct cmdline *c)
{
	char mode[2] = {(char)c->mode, '\0'};
	struct config *cf;
	struct bt_session *s;
	int status;

	readcf_define("{opMode}", mode); /* the cf may test ${opMode} */
	cf = readcf(c->cf_path, !c->cf_given);
	apply_options(c, cf);
	/* the first failure decides, as Sendmail's ExitStat: flags, then the cf */
	status = worst(c->exitstat, worst(cf->exitstat, map_exit_status(cf->maps)));
	s = bt_new(cf, stdout, c->verbose ? BT_ECHO : BT_PROMPT, status);
	apply_macros(c, s->macros);
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

static const struct mode {
	int letter;
	int (*run)(struct cmdline *c);
} MODES[] = {
	{'t', run_test},
};

int main(int argc, char **argv)
{
	struct cmdline c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.arena = sm_arena_new();
	c.argv0 = argc > 0 ? argv[0] : "sendmail";
	c.mode = mode_for_name(c.argv0);
	c.cf_path = DEFAULT_CF;
	rc = parse_args(&c, argc, argv);
	if (rc == 0) {
		int (*run)(struct cmdline *) = run_unavailable;

		check_combinations(&c);
		for (size_t i = 0; i < sizeof(MODES) / sizeof(MODES[0]); i++)
			if (MODES[i].letter == c.mode)
				run = MODES[i].run;
		rc = run(&c);
	}
	sm_arena_free(c.arena);
	return rc;
}
