/*
 * map/map_text: the text class, a flat file searched line by line.
 *
 * Each line is split into columns, on runs of blanks by default or on
 * every -z character; the key is column -k (default 0) and the value
 * column -v (default 0); lines starting with '#' are comments.  Keys
 * compare without regard to case, as in Sendmail (the key is also folded
 * unless -f).  A line without the value
 * column does not match.  The file is read afresh for every lookup, so
 * edits show at once; a missing file prints
 * `text map "NAME": unsafe map file PATH` when the map is opened, a
 * relative one `text map "NAME": file name must be fully qualified`.
 */
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "libsm/sm_file.h"
#include "sendmail/map/map_int.h"

#define TEXT_MAX_LINE 65536   /* longer lines are cut */
#define TEXT_MAX_LINES 1000000 /* bound on lines read per lookup */

static bool text_open(struct map *m, const struct map_ctx *ctx)
{
	struct stat st;

	if (m->file[0] != '/') {
		/* printed even for -o maps, as the reference does */
		map_msg(m->reg, "text map \"%s\": file name must be fully qualified", m->name);
		map_note_exit(m->reg, EX_SOFTWARE);
		return false;
	}
	if (stat(m->file, &st) == 0 && S_ISREG(st.st_mode))
		return true;
	if (!(m->flags & MF_OPTIONAL))
		map_msg(m->reg, "text map \"%s\": unsafe map file %s", m->name, m->file);
	return false;
}

/*
 * Column col of line (delim 0: blank-separated), as [*start, *end);
 * false when the line has fewer columns.
 */
static bool get_column(const char *line, int col, int delim, const char **start, const char **end)
{
	const char *p = line;

	if (delim == 0) {
		for (int i = 0;; i++) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == '\0')
				return false;
			const char *s = p;
			while (*p != '\0' && *p != ' ' && *p != '\t')
				p++;
			if (i == col) {
				*start = s;
				*end = p;
				return true;
			}
		}
	}
	for (int i = 0; i < col; i++) {
		p = strchr(p, delim);
		if (p == NULL)
			return false;
		p++;
	}
	*start = p;
	*end = strchr(p, delim);
	if (*end == NULL)
		*end = p + strlen(p);
	return true;
}

/* Does this line's key column equal key? */
static bool key_matches(const struct map *m, const char *line, const char *key)
{
	const char *s, *e;
	size_t n = strlen(key);

	if (!get_column(line, m->keycolno, m->coldelim, &s, &e))
		return false;
	return (size_t)(e - s) == n && strncasecmp(s, key, n) == 0;
}

static char *text_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
			 const char *const *args, int nargs, int *stat)
{
	char *k = map_fold_key(m, ctx->arena, key);
	struct sm_buf line = SM_BUF_INIT;
	char *r = NULL;
	int trunc;
	FILE *fp = fopen(m->file, "r");

	*stat = EX_NOHOST;
	if (fp == NULL) {
		*stat = EX_UNAVAILABLE;
		return NULL;
	}
	for (long n = 0; n < TEXT_MAX_LINES && sm_getline(fp, &line, TEXT_MAX_LINE, &trunc) == 1; n++) {
		const char *s, *e;
		if (line.len > 0 && sm_buf_str(&line)[0] == '#')
			continue; /* a comment line */
		if (!key_matches(m, sm_buf_str(&line), k))
			continue;
		if (!get_column(sm_buf_str(&line), m->valcolno, m->coldelim, &s, &e))
			continue;
		*stat = EX_OK;
		if (m->flags & MF_MATCHONLY)
			r = map_rewrite(m, ctx, key, strlen(key), NULL, NULL, 0);
		else
			r = map_rewrite(m, ctx, s, (size_t)(e - s), key, args, nargs);
		break;
	}
	fclose(fp);
	sm_buf_free(&line);
	return r;
}

const struct map_class map_class_text = {"text", map_parse_common, text_open, text_lookup, true};
