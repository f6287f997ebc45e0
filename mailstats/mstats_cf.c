/*
 * mstats_cf: the minimal sendmail.cf scan mailstats needs.
 *
 * Like Sendmail's mailstats, this does not run the cf reader: it looks at
 * lines in column one only, after cutting a '#' comment and trailing
 * white space:
 *
 *   O StatusFile=path   exactly one space after O; the option name is
 *                       case-insensitive; blanks around '=' are skipped
 *   OSpath              the old one-letter form; the value is taken as is
 *   Mname,...           a mailer; the name ends at ',' or a blank.
 *                       prog, *file* and *include* are always mailers 0-2;
 *                       other names get the next index the first time
 *                       they are seen (duplicates are ignored); any M
 *                       line after the 25th mailer sets too_many (the
 *                       reference checks the count before the name).
 *
 * The last StatusFile wins.  Continuation lines (starting with a blank)
 * are ignored, as the reference ignores them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libsm/sm_file.h"
#include "libsm/sm_mem.h"
#include "mailstats/mstats.h"

/* Longest cf line considered; longer ones are cut (they hold no option). */
#define CF_LINE_MAX (64 * 1024)
/* Bound on lines read from one cf. */
#define CF_LINES_MAX 1000000

static const char *const builtin_mailers[] = {"prog", "*file*", "*include*"};

void mstats_cf_init(struct mstats_cf *cf)
{
	memset(cf, 0, sizeof(*cf));
	sm_buf_init(&cf->status_file);
	for (size_t i = 0; i < 3; i++)
		cf->names[i] = sm_strdup(builtin_mailers[i]);
	cf->nnames = 3;
}

void mstats_cf_free(struct mstats_cf *cf)
{
	for (size_t i = 0; i < cf->nnames; i++)
		free(cf->names[i]);
	cf->nnames = 0;
	sm_buf_free(&cf->status_file);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void set_status_file(struct mstats_cf *cf, const char *v)
{
	sm_buf_reset(&cf->status_file);
	sm_buf_puts(&cf->status_file, v);
	cf->have_status_file = 1;
}

/* An O line (line[0] == 'O'). */
static void option_line(struct mstats_cf *cf, const char *line)
{
	static const char name[] = "StatusFile";
	const char *p;

	if (line[1] == 'S') {
		set_status_file(cf, line + 2);
		return;
	}
	if (line[1] != ' ' || strncasecmp(line + 2, name, sizeof(name) - 1) != 0)
		return;
	p = line + 2 + sizeof(name) - 1;
	while (is_blank(*p))
		p++;
	if (*p != '=')
		return;
	p++;
	while (is_blank(*p))
		p++;
	set_status_file(cf, p);
}

/* An M line (line[0] == 'M'). */
static void mailer_line(struct mstats_cf *cf, const char *line)
{
	size_t n = strcspn(line + 1, ", \t");

	if (cf->nnames >= MSTATS_MAXMAILERS) {
		cf->too_many = 1;
		return;
	}
	for (size_t i = 0; i < cf->nnames; i++) {
		if (strlen(cf->names[i]) == n && strncmp(cf->names[i], line + 1, n) == 0)
			return;
	}
	cf->names[cf->nnames++] = sm_strndup(line + 1, n);
}

void mstats_cf_line(struct mstats_cf *cf, const char *line)
{
	struct sm_buf b = SM_BUF_INIT;
	size_t n = strcspn(line, "#");

	while (n > 0 && isspace((unsigned char)line[n - 1]))
		n--;
	sm_buf_append(&b, line, n);
	if (b.len > 0 && b.data[0] == 'O')
		option_line(cf, b.data);
	else if (b.len > 0 && b.data[0] == 'M')
		mailer_line(cf, b.data);
	sm_buf_free(&b);
}

int mstats_cf_scan(const char *path, struct mstats_cf *cf)
{
	struct sm_buf line = SM_BUF_INIT;
	FILE *fp = fopen(path, "r");
	int r = 0, trunc;

	mstats_cf_init(cf);
	if (fp == NULL)
		return -1;
	for (long i = 0; i < CF_LINES_MAX; i++) {
		r = sm_getline(fp, &line, CF_LINE_MAX, &trunc);
		if (r <= 0)
			break;
		mstats_cf_line(cf, sm_buf_str(&line));
	}
	sm_buf_free(&line);
	if (r < 0) {
		int e = errno;

		fclose(fp);
		errno = e;
		return -1;
	}
	fclose(fp);
	return 0;
}
