/*
 * map/map_args: the options common to the file-like map classes
 * (Sendmail's map_parseargs) and small word helpers for class parsers.
 *
 * Each option is one row of opt_table: its letter, what it does to the
 * map.  The accepted letters are exactly those the reference accepts for
 * text, hash, user, program, null, switch ... maps:
 *   -a<s> -A -d<secs> -D -f -k<col> -m -N -o -O -q -S<c> -t -T<s> -v<col> -z<c>
 * Any other letter prints "Illegal option X map NAME" (file and line in
 * front) and parsing continues.  After the options comes the file name,
 * then the rest of the line (m->rest) for classes that want more.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "libsm/sm_arena.h"
#include "sendmail/map/map_int.h"

enum opt_kind { OK_SET, OK_CLEAR, OK_INCLNULL, OK_APP, OK_TAPP, OK_KEY, OK_VAL, OK_DELIM,
		OK_SPACE, OK_TIMEOUT };

struct map_opt {
	char letter;
	enum opt_kind kind;
	unsigned flag; /* for OK_SET / OK_CLEAR */
};

static const struct map_opt opt_table[] = {
	{'a', OK_APP, 0},          /* append to a found value */
	{'A', OK_SET, MF_APPEND},  /* merge duplicate keys (aliases) */
	{'d', OK_TIMEOUT, 0},      /* timeout */
	{'D', OK_SET, MF_DEFER},   /* no lookups while deferring delivery */
	{'f', OK_SET, MF_NOFOLDCASE},
	{'k', OK_KEY, 0},
	{'m', OK_SET, MF_MATCHONLY},
	{'N', OK_INCLNULL, 0},
	{'o', OK_SET, MF_OPTIONAL},
	{'O', OK_CLEAR, MF_TRY1NULL},
	{'q', OK_SET, MF_KEEPQUOTES},
	{'S', OK_SPACE, 0},
	{'t', OK_SET, MF_NODEFER},
	{'T', OK_TAPP, 0},
	{'v', OK_VAL, 0},
	{'z', OK_DELIM, 0},
};

const char *map_skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static bool blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

const char *map_word(struct sm_arena *a, const char **pp)
{
	const char *p = map_skip_blanks(*pp), *s = p;

	while (*p != '\0' && !blank((unsigned char)*p))
		p++;
	*pp = p;
	return sm_arena_memdup(a, s, (size_t)(p - s));
}

int map_char_arg(const char *s)
{
	if (s[0] != '\\')
		return (unsigned char)s[0];
	switch (s[1]) {
	case 'n':
		return '\n';
	case 't':
		return '\t';
	default:
		return '\\';
	}
}

/* Apply one option row with its value v to m. */
static void apply_opt(struct map *m, const struct map_opt *o, const char *v)
{
	switch (o->kind) {
	case OK_SET:
		m->flags |= o->flag;
		break;
	case OK_CLEAR:
		m->flags &= ~o->flag;
		break;
	case OK_INCLNULL:
		m->flags = (m->flags | MF_INCLNULL) & ~MF_TRY0NULL;
		break;
	case OK_APP:
		m->app = v;
		break;
	case OK_TAPP:
		m->tapp = v;
		break;
	case OK_KEY:
		m->keycol = v;
		m->keycolno = atoi(v);
		break;
	case OK_VAL:
		m->valcol = v;
		m->valcolno = atoi(v);
		break;
	case OK_DELIM:
		m->coldelim = map_char_arg(v);
		break;
	case OK_SPACE:
		m->spacesub = map_char_arg(v);
		break;
	case OK_TIMEOUT:
		m->timeout = atoi(v);
		break;
	}
}

static const struct map_opt *find_opt(int c)
{
	for (size_t i = 0; i < sizeof(opt_table) / sizeof(opt_table[0]); i++)
		if (opt_table[i].letter == c)
			return &opt_table[i];
	return NULL;
}

const char *map_next_flag(struct sm_arena *a, const char **pp)
{
	*pp = map_skip_blanks(*pp);
	if (**pp != '-')
		return NULL;
	return map_word(a, pp);
}

bool map_parse_common(struct map *m, const char *args)
{
	struct sm_arena *a = map_arena(m);
	const char *p = args;

	for (const char *w; (w = map_next_flag(a, &p)) != NULL;) {
		int c = (unsigned char)w[1];
		const struct map_opt *o = c ? find_opt(c) : NULL;
		const char *v = w + 2;
		/* -k and -v may be followed by blanks before their value */
		if ((c == 'k' || c == 'v') && *v == '\0')
			v = map_word(a, &p);
		if (o == NULL)
			map_decl_err(m, "Illegal option %c map %s", c ? c : ' ', m->name);
		else
			apply_opt(m, o, v);
	}
	if (*p != '\0') {
		m->file = map_word(a, &p);
		m->rest = sm_arena_strdup(a, map_skip_blanks(p));
	}
	return true;
}
