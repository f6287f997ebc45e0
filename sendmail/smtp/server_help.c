/*
 * smtp/server_help.c: HELP from the helpfile (option HelpFile).
 *
 * The file is Sendmail's: a "#vers 2" line, then "topic<TAB>text" lines.
 * HELP with no argument shows topic "smtp"; otherwise the argument,
 * lower-cased, is matched as a prefix of each line, as Sendmail does
 * (so "HELP he" shows both "help" and "helo").  In a version 2 file the
 * text has its macros expanded ($v, $j, $$).  Each matching line is sent
 * as "214-2.0.0 text", then "214 2.0.0 End of HELP info"; no match is
 * "504 5.3.0 HELP topic "<first 10 chars>" unknown"; no readable file is
 * "502 5.3.0 Sendmail <$v> -- HELP not implemented".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/smtp/server_int.h"

#define HELP_MAXLINES 10000 /* lines read from a helpfile */
#define HELP_MAXLINE  4096  /* longer lines are skipped */

/* One matching helpfile line: send its text. */
static void help_line(struct smtp_session *s, char *line, size_t tlen, int vers)
{
	char *text = strchr(line, '\t');
	const char *out;

	text = text != NULL ? text + 1 : line + tlen;
	text[strcspn(text, "\r\n")] = '\0';
	out = vers >= 2 ? macro_expand(s->mac, text, s->cmd_arena) : text;
	smtp_reply(s, "214-2.0.0 %s", out);
}

/* Read fp and send the lines for topic; returns how many matched. */
static int help_scan(struct smtp_session *s, FILE *fp, const char *topic)
{
	char *line = NULL;
	size_t cap = 0, tlen = strlen(topic);
	ssize_t n;
	int vers = 0, found = 0, count = 0;

	while (count++ < HELP_MAXLINES && (n = getline(&line, &cap, fp)) >= 0) {
		if (n > HELP_MAXLINE)
			continue;
		if (line[0] == '#') {
			if (vers == 0 && strncmp(line, "#vers", 5) == 0)
				vers = atoi(line + 5);
			continue;
		}
		if (strncmp(line, topic, tlen) == 0) {
			help_line(s, line, tlen, vers);
			found++;
		}
	}
	free(line);
	return found;
}

void smtp_cmd_help(struct smtp_session *s, const char *arg)
{
	FILE *fp = s->o.helpfile != NULL ? fopen(s->o.helpfile, "r") : NULL;
	char *topic;
	size_t i;

	if (fp == NULL) {
		smtp_reply(s, "502 5.3.0 Sendmail %s -- HELP not implemented",
		           s->o.version != NULL ? s->o.version : "");
		return;
	}
	if (macro_get(s->mac, macro_id("v")) == NULL && s->o.version != NULL)
		smtp_set_macro(s, "v", s->o.version);
	topic = sm_arena_strdup(s->cmd_arena, *arg == '\0' ? "smtp" : arg);
	for (i = 0; topic[i] != '\0'; i++)
		topic[i] = (char)tolower((unsigned char)topic[i]);
	if (help_scan(s, fp, topic) == 0)
		smtp_reply(s, "504 5.3.0 HELP topic \"%.10s\" unknown", topic);
	else
		smtp_reply(s, "214 2.0.0 End of HELP info");
	fclose(fp);
}
