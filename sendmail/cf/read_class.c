/*
 * cf/read_class: C and F lines (and T lines, which fill class t).
 *
 * C lines: "Cx word ..." / "C{name} word ...": macros expanded at read
 * time, words split on blanks, a word "$=Y" adds every member of class Y.
 *
 * F lines: "Fx[ -o] path[ format]", "Fx|program", "Fx[key]@class:spec".
 * From a file or a program, lines starting with '#' and empty lines are
 * skipped; without a format the first word of each line is the member;
 * with a scanf format the part it matches is split into words, all added
 * (both as observed with the reference).  -o makes a missing or unsafe
 * file silent.  A file is refused, as Sendmail refuses it, when a
 * directory on its path is world-writable (sticky directories pass only
 * with DontBlameSendmail=TrustStickyBit).  Map-backed classes need the
 * map module; an unknown map class is reported like Sendmail does.
 *
 * Every loop is bounded: MAX_CLASS_LINES lines per file or program.
 */
#include "sendmail/cf/read.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "libsm/sm_file.h"
#include "sendmail/cf/diag.h"
#include "sendmail/cf/options.h"

#define MAX_CLASS_LINES 1000000
#define MAX_CLASS_LINE 65536
#define MAX_PROG_ARGS 64

struct copy_arg {
	struct classes *c;
	int to;
};

static bool copy_member(const char *word, void *arg)
{
	struct copy_arg *ca = arg;
	class_add(ca->c, ca->to, word);
	return true;
}

/* Add the blank-separated words of s to class id ("$=Y" copies class Y). */
static void add_words(struct config *cf, int id, char *s)
{
	char *save = NULL;

	for (char *w = strtok_r(s, " \t\n\r", &save); w; w = strtok_r(NULL, " \t\n\r", &save)) {
		if (w[0] == '$' && w[1] == '=' && w[2] != '\0') {
			const char *end;
			int from = macro_parse_name(w + 2, &end);
			struct copy_arg ca = {cf->classes, id};
			if (from >= 0)
				class_foreach(cf->classes, from, copy_member, &ca);
			continue;
		}
		class_add(cf->classes, id, w);
	}
}

void read_class_line(struct cf_reader *rd, char *text)
{
	struct config *cf = rd->cf;
	const char *rest;
	int id = cf_parse_name(cf, text + 1, &rest);

	if (id < 0)
		return;
	add_words(cf, id, macro_expand(cf->macros, rest, cf->arena));
}

void read_trusted_line(struct cf_reader *rd, char *text)
{
	add_words(rd->cf, 't', sm_arena_strdup(rd->cf->arena, text + 1));
}

/* Is a directory on path's way world-writable in a way we refuse? */
static bool unsafe_dir_path(const struct config *cf, const char *path)
{
	const char *dbs = opt_raw(cf->opt, OPT_DONT_BLAME_SENDMAIL);
	bool sticky_ok = dbs != NULL && strcasestr(dbs, "TrustStickyBit") != NULL;
	char *dir = strdup(path);
	bool bad = false;

	for (char *slash = strrchr(dir, '/'); slash != NULL && !bad; slash = strrchr(dir, '/')) {
		*slash = '\0';
		struct stat st;
		if (stat(dir[0] ? dir : "/", &st) == 0 && (st.st_mode & S_IWOTH) &&
		    !((st.st_mode & S_ISVTX) && sticky_ok))
			bad = true;
	}
	free(dir);
	return bad;
}

/* Add members from each line of fp. */
static void load_lines(struct config *cf, int id, FILE *fp, const char *fmt)
{
	struct sm_buf line = SM_BUF_INIT;
	int trunc;

	for (int n = 0; n < MAX_CLASS_LINES && sm_getline(fp, &line, MAX_CLASS_LINE, &trunc) == 1;
	     n++) {
		char *s = line.data;
		if (line.len == 0 || s[0] == '#')
			continue;
		if (fmt == NULL) {
			char *save = NULL;
			char *w = strtok_r(s, " \t\r", &save);
			if (w != NULL)
				class_add(cf->classes, id, w);
			continue;
		}
		char *buf = calloc(1, line.len + 1);
		if (buf != NULL && sscanf(s, fmt, buf) == 1)
			add_words(cf, id, buf);
		free(buf);
	}
	sm_buf_free(&line);
}

/* Is fmt a scanf format with exactly one conversion and no '*'/'n'? */
static bool sane_format(const char *fmt)
{
	int conv = 0;

	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			p++;
			continue;
		}
		conv++;
	}
	return conv == 1;
}

static void file_class(struct cf_reader *rd, int id, const char *path, const char *fmt,
		       bool optional)
{
	struct config *cf = rd->cf;

	if (unsafe_dir_path(cf, path)) {
		if (!optional)
			cf_oserr(cf, 0, "fileclass: cannot open '%s': World writable directory", path);
		return;
	}
	FILE *fp = fopen(path, "r");
	if (fp == NULL) {
		if (!optional)
			cf_oserr(cf, errno, "fileclass: cannot open '%s'", path);
		return;
	}
	load_lines(cf, id, fp, fmt != NULL && sane_format(fmt) ? fmt : NULL);
	fclose(fp);
}

/* Run "program args" (split on blanks, no shell) and load its output. */
static void program_class(struct cf_reader *rd, int id, char *cmd, const char *fmt)
{
	char *argv[MAX_PROG_ARGS + 1];
	int argc = 0;
	char *save = NULL;
	int pfd[2];

	for (char *w = strtok_r(cmd, " \t", &save); w && argc < MAX_PROG_ARGS;
	     w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	if (argc == 0 || pipe(pfd) < 0)
		return;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pfd[1], STDOUT_FILENO);
		close(pfd[0]);
		close(pfd[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	FILE *fp = fdopen(pfd[0], "r");
	if (fp != NULL) {
		load_lines(rd->cf, id, fp, fmt);
		fclose(fp);
	} else {
		close(pfd[0]);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void map_class(struct cf_reader *rd, int id, const char *spec)
{
	const char *at = strchr(spec, '@');
	const char *colon = at ? strchr(at, ':') : NULL;
	size_t len = colon ? (size_t)(colon - at - 1) : strlen(at + 1);

	if (len == 0) {
		cf_syserr(rd->cf, "fileclass: F{%s}: missing map class", macro_name(id));
		return;
	}
	/* No map class can load a class at start-up yet. */
	cf_syserr(rd->cf, "fileclass: F{%s}: class %.*s not available",
		  macro_name(id)[0] == '{' ? sm_arena_memdup(rd->cf->arena, macro_name(id) + 1,
							       strlen(macro_name(id)) - 2)
					   : macro_name(id),
		  (int)len, at + 1);
}

void read_file_class_line(struct cf_reader *rd, char *text)
{
	struct config *cf = rd->cf;
	const char *rest;
	int id = cf_parse_name(cf, text + 1, &rest);

	if (id < 0)
		return;
	char *p = macro_expand(cf->macros, rest, cf->arena);
	bool optional = false;
	while (isspace((unsigned char)*p))
		p++;
	if (p[0] == '-' && p[1] == 'o' && (p[2] == '\0' || isspace((unsigned char)p[2]))) {
		optional = true;
		p += 2;
		while (isspace((unsigned char)*p))
			p++;
	}
	if (*p == '|') {
		program_class(rd, id, p + 1, NULL);
		return;
	}
	if (*p != '/' && strchr(p, '@') != NULL) {
		map_class(rd, id, p);
		return;
	}
	char *fmt = p;
	while (*fmt && !isspace((unsigned char)*fmt))
		fmt++;
	if (*fmt)
		*fmt++ = '\0';
	while (isspace((unsigned char)*fmt))
		fmt++;
	if (*p == '\0') {
		cf_syserr(cf, "fileclass: missing file name");
		return;
	}
	file_class(rd, id, p, *fmt ? fmt : NULL, optional);
}
