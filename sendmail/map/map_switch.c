/*
 * map/map_switch: the service switch file and the sequence and switch
 * classes.
 *
 *   map_switch_find  the types ("files", "dns", "nis", ...) listed for a
 *                    service in ServiceSwitchFile ("hosts files dns"); a
 *                    service the file does not list gets Sendmail's
 *                    default ("aliases files", "hosts dns files"), any
 *                    other nothing.  The file is read on every call: it
 *                    is tiny and only read when a map opens or a host is
 *                    canonified.
 *   sequence         "Kname sequence m1 m2 ...": members must already be
 *                    declared ("Sequence map X: unknown member map Y");
 *                    a lookup tries them in order, and fails with 75 if
 *                    any member temp-failed, else 68.
 *   switch           "Kname switch service": on open, the members are
 *                    the maps "name.type" for each type the switch lists
 *                    ("Switch map X: unknown member map X.files" for an
 *                    undeclared one); a service with no entry cannot open.
 */
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "libsm/sm_file.h"
#include "sendmail/map/map_int.h"

#define SWITCH_MAX_LINES 1000

/* Built-in entries for services the file does not mention. */
static int switch_default(const char *service, const char **types, int max)
{
	int n = 0;

	if (strcasecmp(service, "aliases") == 0 && max > 0)
		types[n++] = "files";
	else if (strcasecmp(service, "hosts") == 0 && max > 1) {
		types[n++] = "dns";
		types[n++] = "files";
	}
	return n;
}

/* Split the words after the service name into types[]. */
static int switch_types(struct sm_arena *a, const char *p, const char **types, int max)
{
	int n = 0;

	for (;;) {
		p = map_skip_blanks(p);
		if (*p == '\0' || *p == '#' || n >= max)
			return n;
		types[n++] = map_word(a, &p);
	}
}

int map_switch_find(struct map_registry *r, const char *service, const char **types, int max)
{
	const struct map_settings *s = map_settings(r);
	struct sm_arena *a = NULL;
	struct sm_buf line = SM_BUF_INIT;
	int n = -1, trunc;
	FILE *fp = s->switch_file ? fopen(s->switch_file, "r") : NULL;

	if (fp != NULL) {
		for (int i = 0; i < SWITCH_MAX_LINES && n < 0 && sm_getline(fp, &line, 4096, &trunc) == 1;
		     i++) {
			const char *p = map_skip_blanks(sm_buf_str(&line));
			size_t len = strcspn(p, " \t:");
			if (*p == '#' || len != strlen(service) || strncasecmp(p, service, len) != 0)
				continue;
			p += len;
			if (*p == ':')
				p++;
			a = a ? a : sm_arena_new();
			n = switch_types(a, p, types, max);
		}
		fclose(fp);
	}
	sm_buf_free(&line);
	if (n < 0)
		return switch_default(service, types, max);
	/* Keep the words alive with the registry's arena. */
	for (int i = 0; i < n; i++)
		types[i] = map_intern(r, types[i]);
	sm_arena_free(a);
	return n;
}

/* ---- sequence ---- */

static bool seq_parse(struct map *m, const char *args)
{
	struct sm_arena *a = map_arena(m);
	const char *p = args;

	for (int i = 0; i < 4096; i++) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		const char *s = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != ',')
			p++;
		const char *name = sm_arena_memdup(a, s, (size_t)(p - s));
		struct map *mm = map_find_declared(m->reg, name);
		if (mm == NULL)
			map_decl_err(m, "Sequence map %s: unknown member map %s", m->name, name);
		else if (m->nmembers >= MAP_MAXMEMBERS)
			map_decl_err(m, "Sequence map %s: too many member maps (%d max)", m->name,
				     MAP_MAXMEMBERS);
		else
			m->members[m->nmembers++] = mm;
	}
	return true;
}

static char *seq_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
			const char *const *args, int nargs, int *stat)
{
	bool tempfail = false;

	for (int i = 0; i < m->nmembers; i++) {
		struct map *mm = m->members[i];
		int st = EX_OK;
		if (!map_ensure_open(mm, ctx))
			continue;
		char *v = map_class_call(mm, ctx, key, args, nargs, &st);
		if (v != NULL) {
			*stat = EX_OK;
			return v;
		}
		if (st == EX_TEMPFAIL)
			tempfail = true;
	}
	*stat = tempfail ? EX_TEMPFAIL : EX_NOHOST;
	return NULL;
}

const struct map_class map_class_sequence = {"sequence", seq_parse, NULL, seq_lookup, false};

/* ---- switch ---- */

static bool switch_open(struct map *m, const struct map_ctx *ctx)
{
	const char *types[MAP_MAXMEMBERS];
	int n = map_switch_find(m->reg, m->file, types, MAP_MAXMEMBERS);

	if (n <= 0)
		return false;
	m->nmembers = 0;
	for (int i = 0; i < n; i++) {
		const char *name = sm_arena_printf(map_arena(m), "%s.%s", m->name, types[i]);
		struct map *mm = map_find(m->reg, name);
		if (mm == NULL)
			map_msg(m->reg, "Switch map %s: unknown member map %s", m->name, name);
		else
			m->members[m->nmembers++] = mm;
	}
	return true;
}

const struct map_class map_class_switch = {"switch", map_parse_common, switch_open, seq_lookup,
					   true};
