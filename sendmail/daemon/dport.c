/*
 * daemon/dport.c: DaemonPortOptions, one table row per key.
 *
 * A value is "Key=value, Key=value, ...".  As in Sendmail, a key is
 * known by its first letter; most letters are read case-insensitively,
 * but c/d/D/q/r/R are distinct keys (children, delayLA, DeliveryMode,
 * queueLA, refuseLA, RcvBufSize).  Unknown keys are reported and
 * skipped.  Modifier letters are kept as written; dport_flags() prints
 * them the way ${daemon_flags} shows them.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/daemon/daemon.h"

typedef void (*dport_set_fn)(struct dport *p, const char *v, struct sm_arena *a);

static void set_name(struct dport *p, const char *v, struct sm_arena *a)
{
	p->name = sm_arena_strdup(a, v);
}

static void set_port(struct dport *p, const char *v, struct sm_arena *a)
{
	p->port = sm_arena_strdup(a, v);
}

static void set_addr(struct dport *p, const char *v, struct sm_arena *a)
{
	p->addr = sm_arena_strdup(a, v);
}

static void set_family(struct dport *p, const char *v, struct sm_arena *a)
{
	if (strcasecmp(v, "inet6") == 0)
		p->family = AF_INET6;
	else if (strcasecmp(v, "local") == 0 || strcasecmp(v, "unix") == 0)
		p->family = AF_UNIX;
	else
		p->family = AF_INET;
}

static void set_filters(struct dport *p, const char *v, struct sm_arena *a)
{
	p->filters = sm_arena_strdup(a, v);
}

static void set_listen(struct dport *p, const char *v, struct sm_arena *a)
{
	p->backlog = atoi(v);
}

static void set_mods(struct dport *p, const char *v, struct sm_arena *a)
{
	size_t n = 0;

	for (; *v != '\0' && n + 1 < sizeof(p->mods); v++)
		if (isalpha((unsigned char)*v) && !dport_has(p, *v))
			p->mods[n++] = *v;
	p->mods[n] = '\0';
}

static void set_sndbuf(struct dport *p, const char *v, struct sm_arena *a)
{
	p->sndbuf = atoi(v);
}

static void set_rcvbuf(struct dport *p, const char *v, struct sm_arena *a)
{
	p->rcvbuf = atoi(v);
}

static void set_children(struct dport *p, const char *v, struct sm_arena *a)
{
	p->children = atoi(v);
}

static void set_dmode(struct dport *p, const char *v, struct sm_arena *a)
{
	p->delivery_mode = tolower((unsigned char)v[0]);
}

static void set_refuse(struct dport *p, const char *v, struct sm_arena *a)
{
	p->refuse_la = atoi(v);
}

static void set_delay(struct dport *p, const char *v, struct sm_arena *a)
{
	p->delay_la = atoi(v);
}

static void set_queue(struct dport *p, const char *v, struct sm_arena *a)
{
	p->queue_la = atoi(v);
}

/* Keys: first letter, whether the case matters, setter. */
static const struct {
	char letter;
	bool exact;
	dport_set_fn set;
} KEYS[] = {
    {'A', false, set_addr},    {'F', false, set_family}, {'I', false, set_filters},
    {'L', false, set_listen},  {'M', false, set_mods},   {'N', false, set_name},
    {'P', false, set_port},    {'S', false, set_sndbuf}, {'R', true, set_rcvbuf},
    {'c', true, set_children}, {'D', true, set_dmode},   {'d', true, set_delay},
    {'r', true, set_refuse},   {'q', true, set_queue},
};

static dport_set_fn find_key(int c)
{
	for (size_t i = 0; i < sizeof(KEYS) / sizeof(KEYS[0]); i++) {
		if (KEYS[i].exact ? KEYS[i].letter == c
		                  : toupper((unsigned char)KEYS[i].letter) == toupper(c))
			return KEYS[i].set;
	}
	return NULL;
}

/* Trim blanks at both ends of [s, e) into an arena string. */
static char *trimmed(const char *s, const char *e, struct sm_arena *a)
{
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	return sm_arena_memdup(a, s, (size_t)(e - s));
}

void dport_parse(struct dport *p, const char *value, int index, struct sm_arena *a,
                 const char **err)
{
	const char *s = value != NULL ? value : "";
	size_t guard = strlen(s) + 1;

	memset(p, 0, sizeof(*p));
	p->family = AF_INET;
	p->backlog = 10;
	p->fd = -1;
	if (err != NULL)
		*err = NULL;
	while (*s != '\0' && guard-- > 0) {
		const char *end = s + strcspn(s, ",");
		char *item = trimmed(s, end, a), *eq = strchr(item, '=');
		dport_set_fn set = item[0] != '\0' ? find_key((unsigned char)item[0]) : NULL;

		if (item[0] != '\0' && set == NULL && err != NULL && *err == NULL)
			*err = sm_arena_printf(a, "PortOptions parameter \"%s\" unknown", item);
		if (set != NULL && eq != NULL)
			set(p, trimmed(eq + 1, eq + strlen(eq), a), a);
		s = *end == ',' ? end + 1 : end;
	}
	if (p->name == NULL)
		p->name = sm_arena_printf(a, "Daemon%d", index);
	if (p->port == NULL)
		p->port = "smtp";
	if (p->backlog <= 0)
		p->backlog = 10;
}

bool dport_has(const struct dport *p, int c)
{
	return c != '\0' && strchr(p->mods, c) != NULL;
}

const char *dport_flags(const struct dport *p, struct sm_arena *a)
{
	struct sm_buf b = SM_BUF_INIT;
	const char *r;

	for (int c = 1; c < 128; c++) {
		if (!dport_has(p, c))
			continue;
		if (b.len > 0)
			sm_buf_putc(&b, ' ');
		sm_buf_putc(&b, c);
		if (isupper(c))
			sm_buf_putc(&b, c);
	}
	r = sm_arena_strdup(a, sm_buf_str(&b));
	sm_buf_free(&b);
	return r;
}

const char *dport_family_name(int family)
{
	return family == AF_INET6 ? "inet6" : family == AF_UNIX ? "local" : "inet";
}
