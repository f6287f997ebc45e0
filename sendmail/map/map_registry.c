/*
 * map/map_registry: the table of map classes, the registry of declared
 * maps, K-line parsing, lazy opening and the lookup wrapper.
 *
 * Declaration follows Sendmail's makemapentry(): a map name (a letter or
 * digit, then letters, digits, '_' and '.'), a class name, then arguments
 * the class parses.  Names are case-insensitive.  Declaring a name again
 * replaces the earlier map but keeps the settings the new K line does not
 * set (-a, -T, flags ...), as Sendmail reuses its entry.  Errors print
 * "file: line N: text" to the registry's output and raise the exit
 * status to 70, as syserr() does.
 *
 * Opening is lazy (see map.h): map_ensure_open() opens on first use and
 * turns a failed non-optional map into a bogus one (lookups return 75).
 *
 * map_lookup() is the wrapper the rewriting engine uses (Sendmail's
 * parseaddr.c map_lookup): -D under deferred delivery, dequoting unless
 * -q, the class lookup, then -T / -t handling of temporary failures.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "libsm/sm_mem.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/options.h"
#include "sendmail/map/map_int.h"

#define MAX_MAPS 4096 /* bound on declared maps */

struct map_registry {
	struct sm_arena *arena;
	struct map **maps;
	size_t nmaps;
	size_t cap;
	struct map_settings set;
	FILE *out;
	int exitstat;
	bool deferred;
	const char *decl_file; /* where the current declaration is */
	int decl_line;
	int nerrors; /* declaration errors printed */
	struct host_cache *hostcache;
	struct config *cf; /* the configuration being declared from */
	bool finished;     /* built-in maps declared */
	bool pulled;       /* options read from cf->opt */
	struct cleanup {
		void (*fn)(void *);
		void *arg;
	} *cleanups;
	size_t ncleanups;
	size_t capcleanups;
};

/* Every class Sendmail 8.17 (Debian build) knows, in one table. */
static const struct map_class *const class_table[] = {
	&map_class_hash,    &map_class_btree,   &map_class_dbm, &map_class_implicit, &map_class_text,
	&map_class_stab,    &map_class_nis,     &map_class_nisplus,  &map_class_ldap,
	&map_class_user,    &map_class_host,    &map_class_bestmx,   &map_class_dns,
	&map_class_arpa,    &map_class_sequence, &map_class_switch,  &map_class_syslog,
	&map_class_dequote, &map_class_regex,   &map_class_program,  &map_class_macro,
	&map_class_arith,   &map_class_socket,  &map_class_null,     &map_class_userdb,
};

const struct map_class *map_class_find(const char *name)
{
	for (size_t i = 0; i < sizeof(class_table) / sizeof(class_table[0]); i++)
		if (strcasecmp(class_table[i]->name, name) == 0)
			return class_table[i];
	return NULL;
}

struct map_registry *map_registry_new(struct sm_arena *a)
{
	struct map_registry *r = sm_arena_zalloc(a, sizeof(*r));

	r->arena = a;
	r->out = stdout;
	r->set.hosts_file = "/etc/hosts";
	r->set.switch_file = "/etc/mail/service.switch";
	r->decl_file = "";
	return r;
}

void map_on_free(struct map_registry *r, void (*fn)(void *), void *arg)
{
	if (r->ncleanups == r->capcleanups) {
		r->capcleanups = r->capcleanups ? r->capcleanups * 2 : 8;
		struct cleanup *n = sm_arena_array(r->arena, r->capcleanups, sizeof(*n));
		if (r->ncleanups)
			memcpy(n, r->cleanups, r->ncleanups * sizeof(*n));
		r->cleanups = n;
	}
	r->cleanups[r->ncleanups].fn = fn;
	r->cleanups[r->ncleanups++].arg = arg;
}

void map_registry_free(struct map_registry *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->ncleanups; i++)
		r->cleanups[i].fn(r->cleanups[i].arg);
	r->ncleanups = 0;
}

struct sm_arena *map_arena(const struct map *m)
{
	return m->reg->arena;
}

struct sm_arena *map_arena_of(struct map_registry *r)
{
	return r->arena;
}

struct host_cache **map_host_cache(struct map_registry *r)
{
	return &r->hostcache;
}

/* The options the maps use, from the cf reader's table (once, at run time). */
static void pull_options(struct map_registry *r)
{
	static const struct {
		enum opt_id id;
		const char *name;
	} wanted[] = {
		{OPT_HOSTS_FILE, "HostsFile"},
		{OPT_SERVICE_SWITCH_FILE, "ServiceSwitchFile"},
		{OPT_RESOLVER_OPTIONS, "ResolverOptions"},
		{OPT_FALLBACK_MX_HOST, "FallbackMXhost"},
		{OPT_DONT_EXPAND_CNAMES, "DontExpandCnames"},
		{OPT_ALIAS_FILE, "AliasFile"},
	};

	if (r->pulled || r->cf == NULL || r->cf->opt == NULL)
		return;
	r->pulled = true;
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		const char *v = opt_raw(r->cf->opt, wanted[i].id);
		if (v != NULL)
			map_set_option(r, wanted[i].name, v);
	}
}

const struct map_settings *map_settings(const struct map_registry *r)
{
	pull_options((struct map_registry *)r);
	return &r->set;
}

void map_registry_set_output(struct map_registry *r, FILE *out)
{
	r->out = out ? out : stdout;
}

int map_exit_status(const struct map_registry *r)
{
	return r->exitstat;
}

void map_note_exit(struct map_registry *r, int code)
{
	if (r->exitstat == 0) /* the first error decides, as in Sendmail */
		r->exitstat = code;
}

void map_set_deferred(struct map_registry *r, bool deferred)
{
	r->deferred = deferred;
}

void map_msg(const struct map_registry *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(r->out, fmt, ap);
	va_end(ap);
	fputc('\n', r->out);
}

/* Print "file: line N: " + the message, as syserr() does while reading the cf. */
static void decl_vmsg(struct map_registry *r, const char *fmt, va_list ap)
{
	if (r->decl_file && *r->decl_file)
		fprintf(r->out, "%s: line %d: ", r->decl_file, r->decl_line);
	vfprintf(r->out, fmt, ap);
	fputc('\n', r->out);
	r->nerrors++;
	map_note_exit(r, EX_SOFTWARE);
}

static void decl_err(struct map_registry *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void decl_err(struct map_registry *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	decl_vmsg(r, fmt, ap);
	va_end(ap);
}

void map_decl_err(const struct map *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	decl_vmsg(m->reg, fmt, ap);
	va_end(ap);
}

/* ---- options ---- */

static int seconds_of(const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (*end == 'm')
		n *= 60;
	else if (*end == 'h')
		n *= 3600;
	return n < 0 || n > 86400 ? 0 : (int)n;
}

void map_set_option(struct map_registry *r, const char *name, const char *value)
{
	const char *v = sm_arena_strdup(r->arena, value ? value : "");
	struct map_settings *s = &r->set;

	if (strcasecmp(name, "HostsFile") == 0)
		s->hosts_file = v;
	else if (strcasecmp(name, "ServiceSwitchFile") == 0)
		s->switch_file = v;
	else if (strcasecmp(name, "ResolverOptions") == 0)
		s->resolver_options = v;
	else if (strcasecmp(name, "AliasFile") == 0)
		s->alias_files = v;
	else if (strcasecmp(name, "FallbackMXhost") == 0)
		s->fallback_mx = v;
	else if (strcasecmp(name, "DontExpandCnames") == 0)
		s->dont_expand_cnames = (*v == '\0' || strchr("tTyY", *v) != NULL);
	else if (strncasecmp(name, "Timeout.resolver.retrans", 24) == 0)
		s->res_retrans = seconds_of(v);
	else if (strncasecmp(name, "Timeout.resolver.retry", 22) == 0)
		s->res_retry = atoi(v);
}

/* ---- the registry ---- */

/* The map called name, without declaring the built-ins. */
static struct map *find_map(const struct map_registry *r, const char *name)
{
	for (size_t i = 0; i < r->nmaps; i++)
		if (strcasecmp(r->maps[i]->name, name) == 0)
			return r->maps[i];
	return NULL;
}

struct map *map_find(const struct map_registry *r, const char *name)
{
	struct map *m = find_map(r, name);

	/* Run time before map_registry_finish: add the built-ins now. */
	if (m == NULL && !r->finished && r->cf != NULL) {
		map_registry_finish((struct map_registry *)r, r->cf);
		m = find_map(r, name);
	}
	return m;
}

void map_use_ctx(struct map_registry *r, const struct map_ctx *ctx)
{
	if (r->cf == NULL && ctx != NULL && ctx->cf != NULL)
		r->cf = (struct config *)ctx->cf;
}

struct map *map_find_declared(const struct map_registry *r, const char *name)
{
	return find_map(r, name);
}

/*
 * Enter (or replace) the map called name.  A map declared again keeps
 * the settings of the earlier declaration that the new one does not
 * override (flags, -a, -T, columns ...), as Sendmail reuses the entry.
 */
static struct map *enter_map(struct map_registry *r, const char *name)
{
	struct map *m = sm_arena_zalloc(r->arena, sizeof(*m));
	size_t i;

	for (i = 0; i < r->nmaps; i++)
		if (strcasecmp(r->maps[i]->name, name) == 0) {
			*m = *r->maps[i];
			m->file = m->rest = NULL;
			m->priv = NULL;
			m->state = MS_INVALID;
			m->nmembers = 0;
			m->textmode = false;
			m->last_status = 0;
			break;
		}
	m->name = sm_arena_strdup(r->arena, name);
	m->reg = r;
	if (i < r->nmaps) {
		r->maps[i] = m;
		return m;
	}
	if (r->nmaps == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		struct map **nm = sm_arena_array(r->arena, r->cap, sizeof(*nm));
		if (r->nmaps)
			memcpy(nm, r->maps, r->nmaps * sizeof(*nm));
		r->maps = nm;
	}
	r->maps[r->nmaps++] = m;
	return m;
}

static bool name_char(int c)
{
	return isascii(c) && (isalnum(c) || c == '_' || c == '.');
}

/* Split "name class args"; NULL after printing the error. */
static struct map *declare_text(struct map_registry *r, const char *kline)
{
	const char *p = map_skip_blanks(kline);
	const char *n0, *c0;

	if (!isascii((unsigned char)*p) || !isalnum((unsigned char)*p)) {
		decl_err(r, "readcf: config K line: no map name");
		return NULL;
	}
	n0 = p++;
	while (name_char((unsigned char)*p))
		p++;
	char *name = sm_arena_memdup(r->arena, n0, (size_t)(p - n0));
	if (*p != '\0')
		p++;
	p = map_skip_blanks(p);
	if (!isascii((unsigned char)*p) || !isalnum((unsigned char)*p)) {
		decl_err(r, "readcf: config K line, map %s: no map class", name);
		return NULL;
	}
	c0 = p++;
	while (isascii((unsigned char)*p) && isalnum((unsigned char)*p))
		p++;
	char *cname = sm_arena_memdup(r->arena, c0, (size_t)(p - c0));
	const struct map_class *cls = map_class_find(cname);
	if (cls == NULL) {
		decl_err(r, "readcf: map %s: class %s not available", name, cname);
		return NULL;
	}
	if (r->nmaps >= MAX_MAPS && find_map(r, name) == NULL) {
		decl_err(r, "readcf: map %s: too many maps (%d max)", name, MAX_MAPS);
		return NULL;
	}
	struct map *m = enter_map(r, name);
	m->cls = cls;
	m->flags |= MF_TRY0NULL | MF_TRY1NULL;
	if (cls->parse(m, p) && !(cls->needs_file && (m->file == NULL || *m->file == '\0')))
		m->state = MS_DECLARED;
	else if (cls->needs_file && (m->file == NULL || *m->file == '\0'))
		decl_err(r, "No file name for %s map %s", cls->name, m->name);
	return m;
}

int map_declare(struct map_registry *r, struct config *cf, const char *kline, const char *file,
		int line)
{
	int before = r->nerrors;
	struct map *m;

	if (r->cf == NULL)
		r->cf = cf;
	r->decl_file = file ? file : "";
	r->decl_line = line;
	m = declare_text(r, kline);
	r->decl_file = "";
	return m == NULL || r->nerrors != before ? -1 : 0;
}

struct map *map_declare_internal(struct map_registry *r, const char *kline)
{
	const char *f = r->decl_file;
	struct map *m;

	r->decl_file = "";
	m = declare_text(r, kline);
	r->decl_file = f;
	return m;
}

/*
 * AliasFile "[class:]file,...": maps Alias0, Alias1 ... (implicit unless
 * a class is given) and the sequence aliases.files over them.
 */
static void declare_alias_files(struct map_registry *r)
{
	struct sm_buf seq = SM_BUF_INIT;
	const char *p = r->set.alias_files ? r->set.alias_files : "";

	sm_buf_puts(&seq, "aliases.files sequence");
	for (int i = 0; *p != '\0' && i < MAP_MAXMEMBERS; i++) {
		size_t len = strcspn(p, ",");
		char *f = sm_arena_memdup(r->arena, p, len), *colon = strchr(f, ':');
		const char *cls = "implicit";
		if (colon != NULL && colon[1] != '/' && colon != f) {
			*colon = '\0';
			cls = f;
			f = colon + 1;
		}
		f = (char *)map_skip_blanks(f);
		struct map *m = map_declare_internal(
			r, sm_arena_printf(r->arena, "Alias%d %s -A %s", i, cls, f));
		if (m != NULL)
			m->flags |= MF_ALIAS;
		sm_buf_printf(&seq, " Alias%d", i);
		p += len;
		while (*p == ',' || *p == ' ')
			p++;
	}
	map_declare_internal(r, sm_buf_str(&seq));
	sm_buf_free(&seq);
}

void map_registry_finish(struct map_registry *r, const struct config *cf)
{
	int level = cf ? cf->version : 10;

	if (r->finished)
		return;
	r->finished = true;
	if (r->cf == NULL && cf != NULL)
		r->cf = (struct config *)cf;
	pull_options(r);
	if (find_map(r, "host") == NULL)
		map_declare_internal(r, level >= 2 ? "host host -a. -D" : "host host");
	if (find_map(r, "aliases") == NULL)
		map_declare_internal(r, "aliases switch aliases");
	if (find_map(r, "aliases.files") == NULL)
		declare_alias_files(r);
}

/* ---- opening ---- */

bool map_ensure_open(struct map *m, const struct map_ctx *ctx)
{
	switch (m->state) {
	case MS_OPEN:
	case MS_BOGUS:
		return true;
	case MS_INVALID:
	case MS_CLOSED:
		return false;
	case MS_DECLARED:
		break;
	}
	if (m->cls->open == NULL || m->cls->open(m, ctx)) {
		m->state = MS_OPEN;
		return true;
	}
	if (m->flags & MF_OPTIONAL) {
		m->state = MS_CLOSED;
		return false;
	}
	m->state = MS_BOGUS;
	return true;
}

void map_open_all(struct map_registry *r, const struct map_ctx *ctx)
{
	for (size_t i = 0; i < r->nmaps; i++)
		(void)map_ensure_open(r->maps[i], ctx);
}

const char *map_intern(struct map_registry *r, const char *s)
{
	return sm_arena_strdup(r->arena, s);
}

/* The class lookup, or the bogus map's temporary failure. */
char *map_class_call(struct map *m, const struct map_ctx *ctx, const char *key,
			  const char *const *args, int nargs, int *stat)
{
	*stat = EX_OK;
	if (m->state == MS_BOGUS) {
		*stat = EX_TEMPFAIL;
		return NULL;
	}
	return m->cls->lookup(m, ctx, key, args, nargs, stat);
}

enum map_status map_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
			   const char *const *args, int nargs, char **result)
{
	int stat = EX_OK;
	char *k, *v;

	*result = NULL;
	if (!map_ensure_open(m, ctx))
		return MAP_UNAVAIL;
	if (m->reg->deferred && (m->flags & MF_DEFER)) {
		m->last_status = EX_TEMPFAIL;
		return MAP_TEMPFAIL;
	}
	k = sm_arena_strdup(ctx->arena, key);
	if (!(m->flags & MF_KEEPQUOTES))
		map_stripquotes(k);
	v = map_class_call(m, ctx, k, args, nargs, &stat);
	m->last_status = stat;
	if (v != NULL) {
		*result = v;
		return MAP_FOUND;
	}
	if (stat != EX_TEMPFAIL)
		return MAP_NOTFOUND;
	if (m->tapp != NULL)
		*result = sm_arena_printf(ctx->arena, "%s%s", k, m->tapp);
	if (m->flags & MF_NODEFER)
		return *result ? MAP_FOUND : MAP_NOTFOUND;
	return MAP_TEMPFAIL;
}

char *map_bt_raw_lookup(struct map *m, const struct map_ctx *ctx, const char *key, int *stat)
{
	char *k = sm_arena_strdup(ctx->arena, key);
	char *v = map_class_call(m, ctx, k, NULL, 0, stat);

	m->last_status = *stat;
	return v;
}

int map_last_status(const struct map *m)
{
	return m->last_status;
}

const char *map_name(const struct map *m)
{
	return m->name;
}

const char *map_class_name(const struct map *m)
{
	return m->cls->name;
}
