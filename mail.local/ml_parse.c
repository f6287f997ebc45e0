/*
 * ml_parse: recognising LMTP commands and reducing addresses, with the
 * leniency and strictness of Sendmail 8.17's mail.local:
 *
 *   - command words are case-insensitive; LHLO, MAIL, RCPT and VRFY need
 *     a space after the word, DATA, RSET, NOOP and QUIT must stand alone;
 *   - MAIL's argument must start with "FROM:" and RCPT's with "TO:", then
 *     '<' at once (no blank), the path up to the first '>', then either
 *     the end of the line or a space and ESMTP parameters (ignored);
 *   - a recipient loses its source route, its domain (from the first '@')
 *     and a "+detail" suffix.
 *
 * Pure functions, no I/O: see test/unit/test_maillocal.c.
 */
#include <string.h>
#include <strings.h>

#include "mail.local/ml.h"

struct cmd_word {
	const char *word;
	enum ml_cmd cmd;
	int takes_arg;
};

static const struct cmd_word cmd_words[] = {
    {"lhlo", ML_CMD_LHLO, 1}, {"mail", ML_CMD_MAIL, 1}, {"rcpt", ML_CMD_RCPT, 1},
    {"vrfy", ML_CMD_VRFY, 1}, {"data", ML_CMD_DATA, 0}, {"rset", ML_CMD_RSET, 0},
    {"noop", ML_CMD_NOOP, 0}, {"quit", ML_CMD_QUIT, 0},
};

enum ml_cmd ml_parse_cmd(const char *line, const char **arg)
{
	*arg = "";
	if (strlen(line) < 4)
		return ML_CMD_BAD;
	for (size_t i = 0; i < sizeof(cmd_words) / sizeof(cmd_words[0]); i++) {
		const struct cmd_word *w = &cmd_words[i];

		if (strncasecmp(line, w->word, 4) != 0)
			continue;
		if (w->takes_arg && line[4] == ' ') {
			*arg = line + 5;
			return w->cmd;
		}
		if (!w->takes_arg && line[4] == '\0')
			return w->cmd;
		return ML_CMD_BAD;
	}
	return ML_CMD_BAD;
}

int ml_parse_path(const char *arg, const char *prefix, struct sm_buf *addr)
{
	size_t plen = strlen(prefix);
	const char *open, *close;

	sm_buf_reset(addr);
	if (strncasecmp(arg, prefix, plen) != 0)
		return -1;
	open = arg + plen;
	if (*open != '<')
		return -1;
	close = strchr(open + 1, '>');
	if (close == NULL)
		return -1;
	if (close[1] != '\0' && close[1] != ' ')
		return -1;
	sm_buf_append(addr, open + 1, (size_t)(close - open - 1));
	return 0;
}

void ml_local_user(const char *addr, struct sm_buf *user)
{
	const char *p = addr;
	size_t n;

	/* A source route "@a,@b:user@c" ends at the first ':'. */
	if (*p == '@') {
		const char *colon = strchr(p, ':');

		if (colon != NULL)
			p = colon + 1;
	}
	n = strcspn(p, "@+");
	sm_buf_reset(user);
	sm_buf_append(user, p, n);
}

int ml_user_name_ok(const char *name)
{
	if (*name == '\0' || *name == '.' || strchr(name, '/') != NULL)
		return 0;
	for (const char *p = name; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	}
	return 1;
}
