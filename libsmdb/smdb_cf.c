/*
 * smdb_cf: minimal sendmail.cf scan for TrustedUser, AliasFile and K
 * lines.  See smdb_cf.h.  The full reader lives in sendmail/cf/.
 */
#include "smdb_cf.h"

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libsm/sm_file.h"
#include "libsm/sm_mem.h"

/* A cf has no business being longer than this many lines. */
#define CF_MAX_LINES 1000000

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* If line is "O <name>=value" (any case), return the value, else NULL. */
static const char *option_value(const char *line, const char *name)
{
	size_t n = strlen(name);
	const char *p = line + 1;

	if (line[0] != 'O' || p[0] != ' ' || strncasecmp(p + 1, name, n) != 0 ||
	    isalnum((unsigned char)p[1 + n]))
		return NULL;
	p = strchr(p, '=');
	if (p == NULL)
		return NULL;
	for (p++; is_space((unsigned char)*p); p++)
		continue;
	return p;
}

/* TrustedUser: a number or a user name. */
static void set_trusted(struct smdb_cf *cf, const char *v)
{
	struct passwd *pw;

	if (isdigit((unsigned char)*v)) {
		cf->trusted_uid = (uid_t)strtoul(v, NULL, 10);
		return;
	}
	cf->trusted_uid = 0;
	pw = getpwnam(v);
	if (pw == NULL)
		sm_buf_printf(&cf->warning, "TrustedUser: unknown user %s\n", v);
	else
		cf->trusted_uid = pw->pw_uid;
}

void smdb_cf_split_aliases(const char *value, char ***out, size_t *n)
{
	const char *p = value;

	while (*p != '\0') {
		const char *start, *end;
		int quoted = 0;

		while (is_space((unsigned char)*p) || *p == ',')
			p++;
		if (*p == '\0')
			break;
		start = p;
		for (; *p != '\0'; p++) {
			if (*p == '"')
				quoted = !quoted;
			else if (*p == ',' && !quoted)
				break;
		}
		end = p;
		while (end > start && is_space((unsigned char)end[-1]))
			end--;
		*out = sm_reallocarray(*out, *n + 1, sizeof(**out));
		(*out)[(*n)++] = sm_strndup(start, (size_t)(end - start));
	}
}

/* Strip a path to its base name without extension (makemap's matching). */
static char *base_noext(const char *path)
{
	const char *b = strrchr(path, '/');
	char *s = sm_strdup(b != NULL ? b + 1 : path);
	char *dot = strchr(s, '.');

	if (dot != NULL)
		*dot = '\0';
	return s;
}

/* The last whitespace-separated word of a K line, without extension if asked. */
static int k_line_names(const char *line, const char *want, int fullpath)
{
	const char *end = line + strlen(line);
	const char *w;
	char *last;
	int match;

	while (end > line && is_space((unsigned char)end[-1]))
		end--;
	w = end;
	while (w > line && !is_space((unsigned char)w[-1]))
		w--;
	if (w == line)
		return 0;
	last = fullpath ? sm_strndup(w, (size_t)(end - w)) : NULL;
	if (!fullpath) {
		char *tmp = sm_strndup(w, (size_t)(end - w));

		last = base_noext(tmp);
		free(tmp);
	}
	match = strcmp(last, want) == 0;
	free(last);
	return match;
}

/* "Kname class args": store class if the line declares the wanted map. */
static void scan_k(struct smdb_cf *cf, const char *line, const char *want, int fullpath)
{
	const char *p = line + 1;
	const char *c;

	if (cf->map_class.len > 0 || !k_line_names(line, want, fullpath))
		return;
	while (is_space((unsigned char)*p))
		p++;
	if (!isalnum((unsigned char)*p))
		return;
	while (isalnum((unsigned char)*p) || *p == '_' || *p == '.')
		p++;
	while (is_space((unsigned char)*p))
		p++;
	c = p;
	while (isalnum((unsigned char)*p))
		p++;
	sm_buf_append(&cf->map_class, c, (size_t)(p - c));
}

/* One cf line. */
static void scan_line(struct smdb_cf *cf, const char *line, const char *want, int fullpath)
{
	const char *v;

	if (line[0] == 'K' && want != NULL) {
		scan_k(cf, line, want, fullpath);
		return;
	}
	if ((v = option_value(line, "TrustedUser")) != NULL)
		set_trusted(cf, v);
	else if ((v = option_value(line, "AliasFile")) != NULL)
		smdb_cf_split_aliases(v, &cf->alias_specs, &cf->n_alias_specs);
	else if (line[0] == 'O' && line[1] == 'A')
		smdb_cf_split_aliases(line + 2, &cf->alias_specs, &cf->n_alias_specs);
}

int smdb_cf_read(const char *path, const char *mapname, int fullpath, struct smdb_cf *cf)
{
	FILE *fp = fopen(path, "re");
	struct sm_buf line = SM_BUF_INIT;
	char *want = NULL;
	long n;

	memset(cf, 0, sizeof(*cf));
	if (fp == NULL)
		return errno;
	if (mapname != NULL && *mapname != '\0')
		want = fullpath ? sm_strdup(mapname) : base_noext(mapname);
	for (n = 0; n < CF_MAX_LINES && sm_getline(fp, &line, 0, NULL) > 0; n++)
		scan_line(cf, sm_buf_str(&line), want, fullpath);
	fclose(fp);
	sm_buf_free(&line);
	free(want);
	return 0;
}

void smdb_cf_free(struct smdb_cf *cf)
{
	size_t i;

	for (i = 0; i < cf->n_alias_specs; i++)
		free(cf->alias_specs[i]);
	free(cf->alias_specs);
	sm_buf_free(&cf->warning);
	sm_buf_free(&cf->map_class);
	memset(cf, 0, sizeof(*cf));
}
