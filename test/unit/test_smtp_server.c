/*
 * test_smtp_server: golden SMTP dialogues for the server core (sendmail/smtp/).
 *
 * Every test/smtp/golden/NAME.in is played against a session wired to a
 * fake integrator: policy accepts everything except addresses containing
 * "reject" (550) and "discard" (discard), VRFY answers like a local
 * lookup, and the sink records messages and hands out ids QID00001, ...
 * The server's output (CRLF shown as LF) must equal NAME.ref.  The .in
 * format is described in test/smtp/README; most .ref files were captured
 * from the reference Sendmail with test/smtp/refcapture.py, those marked
 * "!ours" are our intended behaviour (smuggling protections the
 * reference spells differently, fake-policy refusals).
 *
 * "!expect messages=N" and "!expect body=ESCAPED" lines make the runner
 * also check what the sink stored (the smuggling tests: exactly one
 * message, with the sequence as content).
 *
 * With SMTP_GOLDEN_WRITE=1 in the environment, the .ref files of "!ours"
 * dialogues are (re)written instead of compared: review them by eye.
 *
 * Run from the top of the tree (./Build test does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/smtp/server.h"

#define GOLDEN "test/smtp/golden"
#define MAXMSG 16

/* ---- the fake integrator ---- */

struct fake {
	int begun;
	int committed;
	int aborted;
	struct sm_buf body[MAXMSG];
	struct sm_buf cur;
	int nchecks[SMTP_CHECK_COUNT];
	const char *features;
	char text[256];
};

static void fake_policy(void *ctx, enum smtp_check which, const char *arg, struct macros *m,
                        struct smtp_decision *out)
{
	struct fake *f = ctx;

	(void)m;
	f->nchecks[which]++;
	if (which == SMTP_CHECK_SRV_FEATURES) {
		out->value = f->features;
		return;
	}
	/* the golden captures had no alias database: every RCPT was deferred */
	out->will_queue = which == SMTP_CHECK_RCPT;
	if (strstr(arg, "discard") != NULL) {
		out->verdict = SMTP_DISCARD;
		return;
	}
	if (strstr(arg, "reject") == NULL)
		return;
	out->verdict = SMTP_REPLY;
	out->code = 550;
	out->dsn = "5.7.1";
	snprintf(f->text, sizeof(f->text), "%s... Access denied", arg);
	out->text = f->text;
}

static void fake_vrfy(void *ctx, const char *arg, bool expn, struct sm_buf *reply)
{
	size_t n = strlen(arg);

	(void)ctx;
	(void)expn;
	if (strstr(arg, "reject") != NULL)
		return; /* the session answers User unknown */
	if (arg[0] == '<' && n > 1 && arg[n - 1] == '>')
		sm_buf_printf(reply, "250 2.1.5 %s\r\n", arg);
	else if (strchr(arg, '@') != NULL)
		sm_buf_printf(reply, "250 2.1.5 <%s>\r\n", arg);
	else
		sm_buf_printf(reply, "250 2.1.5 <%s@vm.example.com>\r\n", arg);
}

static bool fake_etrn(void *ctx, const char *arg)
{
	(void)ctx;
	return strcmp(arg, "#mqueue") == 0;
}

static bool fake_begin(void *ctx, const struct smtp_txn *t, struct smtp_sink_error *err)
{
	struct fake *f = ctx;

	(void)t;
	(void)err;
	f->begun++;
	sm_buf_reset(&f->cur);
	return true;
}

static bool fake_add_rcpt(void *ctx, const struct smtp_rcpt *r, struct smtp_sink_error *err)
{
	(void)ctx;
	(void)r;
	(void)err;
	return true;
}

static bool fake_body(void *ctx, const char *p, size_t n)
{
	struct fake *f = ctx;

	sm_buf_append(&f->cur, p, n);
	return true;
}

static bool fake_commit(void *ctx, const struct smtp_txn *t, struct sm_buf *qid,
                        struct smtp_sink_error *err)
{
	struct fake *f = ctx;

	(void)err;
	if (f->committed < MAXMSG && !t->discard) {
		sm_buf_reset(&f->body[f->committed]);
		sm_buf_append(&f->body[f->committed], f->cur.data, f->cur.len);
	}
	f->committed++;
	sm_buf_printf(qid, "QID%05d", f->committed);
	return true;
}

static void fake_abort(void *ctx)
{
	((struct fake *)ctx)->aborted++;
}

static void fake_free(struct fake *f)
{
	int i;

	for (i = 0; i < MAXMSG; i++)
		sm_buf_free(&f->body[i]);
	sm_buf_free(&f->cur);
}

/* ---- the .in format ---- */

struct step {
	int kind; /* 'l' line, 'e' early, 'b' batch, 'r' raw */
	struct sm_buf data;
};

struct script {
	struct step steps[4096];
	size_t nsteps;
	char privacy[128], features[64], helpfile[64];
	long maxsize, maxrcpts, maxhdr;
	bool ours;
	long expect_messages;
	struct sm_buf expect_body;
	bool has_expect_body;
};

/* Decode \r \n \0 \t \\ \xHH. */
static void unescape(const char *p, struct sm_buf *out)
{
	for (; *p != '\0'; p++) {
		if (*p != '\\' || p[1] == '\0') {
			sm_buf_putc(out, *p);
			continue;
		}
		p++;
		switch (*p) {
		case 'r':
			sm_buf_putc(out, '\r');
			break;
		case 'n':
			sm_buf_putc(out, '\n');
			break;
		case '0':
			sm_buf_putc(out, '\0');
			break;
		case 't':
			sm_buf_putc(out, '\t');
			break;
		case 'x': {
			char hex[3] = {p[1], p[2], '\0'};

			sm_buf_putc(out, (int)strtol(hex, NULL, 16));
			p += 2;
			break;
		}
		default:
			sm_buf_putc(out, *p);
			break;
		}
	}
}

static void set_option(struct script *sc, const char *kv)
{
	const char *v = strchr(kv, '=');
	size_t k = v != NULL ? (size_t)(v - kv) : strlen(kv);

	v = v != NULL ? v + 1 : "";
	if (strncmp(kv, "privacy", k) == 0)
		snprintf(sc->privacy, sizeof(sc->privacy), "%s", v);
	else if (strncmp(kv, "features", k) == 0)
		snprintf(sc->features, sizeof(sc->features), "%s", v);
	else if (strncmp(kv, "helpfile", k) == 0)
		snprintf(sc->helpfile, sizeof(sc->helpfile), "%s", v);
	else if (strncmp(kv, "maxsize", k) == 0)
		sc->maxsize = atol(v);
	else if (strncmp(kv, "maxrcpts", k) == 0)
		sc->maxrcpts = atol(v);
	else if (strncmp(kv, "maxheaders", k) == 0)
		sc->maxhdr = atol(v);
	else
		fail_msg("unknown !set %s", kv);
}

static struct step *new_step(struct script *sc, int kind)
{
	struct step *st;

	assert_true(sc->nsteps < sizeof(sc->steps) / sizeof(sc->steps[0]));
	st = &sc->steps[sc->nsteps++];
	st->kind = kind;
	sm_buf_init(&st->data);
	return st;
}

static void directive(struct script *sc, const char *line, struct step **batch)
{
	if (strncmp(line, "!set ", 5) == 0)
		set_option(sc, line + 5);
	else if (strcmp(line, "!batch") == 0 || strcmp(line, "!early") == 0)
		*batch = new_step(sc, line[1] == 'b' ? 'b' : 'e');
	else if (strcmp(line, "!end") == 0)
		*batch = NULL;
	else if (strncmp(line, "!raw ", 5) == 0)
		unescape(line + 5, &(*batch != NULL ? *batch : new_step(sc, 'r'))->data);
	else if (strcmp(line, "!ours") == 0)
		sc->ours = true;
	else if (strncmp(line, "!expect messages=", 17) == 0)
		sc->expect_messages = atol(line + 17);
	else if (strncmp(line, "!expect body=", 13) == 0) {
		unescape(line + 13, &sc->expect_body);
		sc->has_expect_body = true;
	} else
		fail_msg("unknown directive %s", line);
}

static void parse_script(const char *path, struct script *sc)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	struct step *batch = NULL;

	assert_non_null(fp);
	memset(sc, 0, sizeof(*sc));
	snprintf(sc->privacy, sizeof(sc->privacy), "authwarnings");
	snprintf(sc->helpfile, sizeof(sc->helpfile), "helpfile");
	sc->expect_messages = -1;
	while ((n = getline(&line, &cap, fp)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (line[0] == '#')
			continue;
		if (line[0] == '!') {
			directive(sc, line, &batch);
			continue;
		}
		{
			struct step *st = batch != NULL ? batch : new_step(sc, 'l');

			unescape(line, &st->data);
			sm_buf_puts(&st->data, "\r\n");
		}
	}
	free(line);
	fclose(fp);
}

static void free_script(struct script *sc)
{
	size_t i;

	for (i = 0; i < sc->nsteps; i++)
		sm_buf_free(&sc->steps[i].data);
	sm_buf_free(&sc->expect_body);
}

/* ---- running a dialogue ---- */

static void take_output(struct smtp_session *s, struct sm_buf *out)
{
	size_t len, i;
	const char *p = smtp_session_output(s, &len);

	for (i = 0; i < len; i++)
		if (!(p[i] == '\r' && i + 1 < len && p[i + 1] == '\n'))
			sm_buf_putc(out, p[i]);
	smtp_session_output_done(s);
}

static struct smtp_session *new_session(const struct script *sc, struct fake *f, char *helppath,
                                        size_t helpsize)
{
	struct smtp_opts o;
	struct smtp_hooks h;

	smtp_opts_default(&o);
	o.hostname = "vm.example.com";
	o.greeting = "vm.example.com Sendmail 8.17.1.9/8.17.1.9; DATE";
	o.version = "8.17.1.9";
	o.client_label = "root@localhost";
	o.client_name = "localhost";
	o.client_addr = "127.0.0.1";
	o.privacy = smtp_privacy_parse(sc->privacy, NULL);
	o.max_message_size = sc->maxsize;
	o.max_rcpts = (int)sc->maxrcpts;
	if (sc->maxhdr > 0)
		o.max_headers_length = sc->maxhdr;
	snprintf(helppath, helpsize, "%s/%s", GOLDEN, sc->helpfile);
	o.helpfile = strcmp(sc->helpfile, "none") == 0 ? NULL : helppath;
	memset(&h, 0, sizeof(h));
	f->features = sc->features;
	h.ctx = f;
	h.policy = fake_policy;
	h.vrfy = fake_vrfy;
	h.etrn = fake_etrn;
	h.sink = (struct smtp_sink){.begin = fake_begin,
	                            .add_rcpt = fake_add_rcpt,
	                            .body = fake_body,
	                            .commit = fake_commit,
	                            .abort = fake_abort};
	return smtp_session_new(&o, &h, NULL);
}

/*
 * Feed the steps the way refcapture.py sends them; collect the output.
 * With bytewise, line and raw steps go in one byte at a time (batches
 * stay whole: splitting them would hide the pipelining they test).
 */
static void feed_step(struct smtp_session *s, const struct step *st, bool bytewise)
{
	size_t i;

	if (!bytewise || st->kind == 'b') {
		smtp_session_feed(s, st->data.data, st->data.len);
		return;
	}
	for (i = 0; i < st->data.len && !smtp_session_closed(s); i++)
		smtp_session_feed(s, st->data.data + i, 1);
}

static void play(const struct script *sc, struct fake *f, struct sm_buf *out, bool bytewise)
{
	char helppath[256];
	struct smtp_session *s = new_session(sc, f, helppath, sizeof(helppath));
	size_t i;

	smtp_session_start(s);
	for (i = 0; i < sc->nsteps; i++)
		if (sc->steps[i].kind == 'e')
			smtp_session_feed(s, sc->steps[i].data.data, sc->steps[i].data.len);
	smtp_session_greet(s);
	take_output(s, out);
	for (i = 0; i < sc->nsteps && !smtp_session_closed(s); i++) {
		if (sc->steps[i].kind == 'e')
			continue;
		feed_step(s, &sc->steps[i], bytewise);
		take_output(s, out);
	}
	smtp_session_eof(s);
	take_output(s, out);
	smtp_session_free(s);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	struct sm_buf b = SM_BUF_INIT;
	char chunk[4096];
	size_t n;

	if (fp == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		sm_buf_append(&b, chunk, n);
	fclose(fp);
	*len = b.len;
	if (b.data == NULL)
		sm_buf_putc(&b, '\0'), b.len = 0;
	return sm_buf_detach(&b);
}

static void check_sink(const char *name, const struct script *sc, const struct fake *f)
{
	if (sc->expect_messages >= 0 && f->committed != sc->expect_messages)
		fail_msg("%s: sink got %d messages, expected %ld", name, f->committed,
		         sc->expect_messages);
	if (sc->has_expect_body) {
		if (f->committed < 1)
			fail_msg("%s: no message to compare", name);
		if (f->body[0].len != sc->expect_body.len ||
		    memcmp(f->body[0].data, sc->expect_body.data, sc->expect_body.len) != 0)
			fail_msg("%s: message body differs (%zu bytes, expected %zu)", name,
			         f->body[0].len, sc->expect_body.len);
	}
}

/* Play one dialogue and compare (or write, for !ours with SMTP_GOLDEN_WRITE). */
static void run_golden(const char *name)
{
	char in[512], ref[512];
	static struct script sc;
	struct fake f;
	struct sm_buf out = SM_BUF_INIT;
	char *want;
	size_t wlen = 0;

	snprintf(in, sizeof(in), "%s/%s.in", GOLDEN, name);
	snprintf(ref, sizeof(ref), "%s/%s.ref", GOLDEN, name);
	parse_script(in, &sc);
	memset(&f, 0, sizeof(f));
	play(&sc, &f, &out, false);
	if (sc.ours && getenv("SMTP_GOLDEN_WRITE") != NULL) {
		FILE *fp = fopen(ref, "wb");

		assert_non_null(fp);
		fwrite(sm_buf_str(&out), 1, out.len, fp);
		fclose(fp);
	}
	want = read_file(ref, &wlen);
	if (want == NULL)
		fail_msg("%s: no %s", name, ref);
	if (wlen != out.len || memcmp(want, sm_buf_str(&out), wlen) != 0) {
		fprintf(stderr, "--- %s expected\n%s--- got\n%s---\n", name, want,
		        sm_buf_str(&out));
		fail_msg("%s: output differs from %s", name, ref);
	}
	check_sink(name, &sc, &f);
	/* The same dialogue fed one byte at a time must not change anything. */
	fake_free(&f);
	memset(&f, 0, sizeof(f));
	sm_buf_reset(&out);
	play(&sc, &f, &out, true);
	if (wlen != out.len || memcmp(want, sm_buf_str(&out), wlen) != 0) {
		fprintf(stderr, "--- %s expected\n%s--- got (bytewise)\n%s---\n", name, want,
		        sm_buf_str(&out));
		fail_msg("%s: output fed bytewise differs from %s", name, ref);
	}
	check_sink(name, &sc, &f);
	free(want);
	sm_buf_free(&out);
	fake_free(&f);
	free_script(&sc);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_golden(void **state)
{
	run_golden(*state);
}

/* One cmocka test per .in under the golden directory, in name order. */
int main(void)
{
	static struct CMUnitTest tests[512];
	static char *names[512];
	DIR *d = opendir(GOLDEN);
	struct dirent *e;
	size_t n = 0, i;

	if (d == NULL) {
		fprintf(stderr, "test_smtp_server: run from the top of the tree (%s)\n", GOLDEN);
		return 1;
	}
	while ((e = readdir(d)) != NULL && n < 512) {
		size_t len = strlen(e->d_name);

		if (len > 3 && strcmp(e->d_name + len - 3, ".in") == 0)
			names[n++] = strndup(e->d_name, len - 3);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	for (i = 0; i < n; i++)
		tests[i] = (struct CMUnitTest){names[i], test_golden, NULL, NULL, names[i]};
	return _cmocka_run_group_tests("smtp_golden", tests, n, NULL, NULL);
}
