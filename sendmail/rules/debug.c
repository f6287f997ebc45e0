/*
 * rules/debug: the -d debug-level table.  See debug.h for the syntax.
 *
 * Public: debug_set, debug_level, debug_on, debug_named_level,
 * debug_reset.  Never prints; a malformed item is read as far as it makes
 * sense and the one byte after it is skipped as if it were the comma, as
 * Sendmail does.
 */
#include "sendmail/rules/debug.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "libsm/sm_mem.h"

#define DEBUG_MAXNAMED 64
#define DEBUG_MAXITEMS 1000

static unsigned char levels[DEBUG_NCAT];

static struct named {
	char *name;
	int level;
} named[DEBUG_MAXNAMED];
static int nnamed;

/* Read a decimal number, saturating at a large bound; advance *sp. */
static unsigned read_num(const char **sp)
{
	const char *s = *sp;
	unsigned n = 0;

	while (isdigit((unsigned char)*s)) {
		if (n < 100000)
			n = n * 10 + (unsigned)(*s - '0');
		s++;
	}
	*sp = s;
	return n;
}

/* ".level" after an item; 1 when absent. */
static unsigned read_level(const char **sp)
{
	if (**sp != '.')
		return 1;
	(*sp)++;
	return read_num(sp);
}

static void set_named(const char *name, size_t len, int level)
{
	int i;

	for (i = 0; i < nnamed; i++) {
		if (strlen(named[i].name) == len && memcmp(named[i].name, name, len) == 0) {
			named[i].level = level;
			return;
		}
	}
	if (nnamed == DEBUG_MAXNAMED)
		return;
	named[nnamed].name = sm_strndup(name, len);
	named[nnamed].level = level;
	nnamed++;
}

/* One item: a range of numbered categories or a name. */
static void set_item(const char **sp)
{
	const char *s = *sp;
	unsigned first, last, level;

	if (isalpha((unsigned char)*s) || *s == '_') {
		const char *name = s;

		while (*s != '\0' && *s != '.' && *s != ',')
			s++;
		*sp = s;
		level = read_level(sp);
		set_named(name, (size_t)(s - name), (int)(level > 255 ? 255 : level));
		return;
	}
	first = read_num(&s);
	last = first;
	if (*s == '-') {
		s++;
		last = read_num(&s);
	}
	level = read_level(&s);
	if (first >= DEBUG_NCAT)
		first = DEBUG_NCAT - 1;
	if (last >= DEBUG_NCAT)
		last = DEBUG_NCAT - 1;
	for (; first <= last; first++)
		levels[first] = (unsigned char)level;
	*sp = s;
}

void debug_set(const char *spec)
{
	int items;

	if (*spec == '\0')
		spec = "0-99.1";
	for (items = 0; items < DEBUG_MAXITEMS; items++) {
		set_item(&spec);
		/* one separator byte (normally ','), whatever it is, as Sendmail */
		if (*spec == '\0')
			return;
		spec++;
	}
}

int debug_level(int cat)
{
	if (cat < 0 || cat >= DEBUG_NCAT)
		return 0;
	return levels[cat];
}

bool debug_on(int cat, int level)
{
	return debug_level(cat) >= level;
}

int debug_named_level(const char *name)
{
	int i;

	for (i = 0; i < nnamed; i++)
		if (strcmp(named[i].name, name) == 0)
			return named[i].level;
	return 0;
}

void debug_reset(void)
{
	int i;

	memset(levels, 0, sizeof(levels));
	for (i = 0; i < nnamed; i++)
		free(named[i].name);
	nnamed = 0;
}
