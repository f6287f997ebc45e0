/*
 * smrsh_cmd: checking and rewriting a restricted-shell command line.
 * See smrsh_cmd.h for the rules; this file only implements them.
 */
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "smrsh/smrsh_cmd.h"

#define METACHARS "`<>;$()^\r\n"

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_blanks(const char *p)
{
	while (is_blank(*p))
		p++;
	return p;
}

int smrsh_stat_check(const char *path, void *ctx)
{
	struct stat st;

	(void)ctx;
	if (stat(path, &st) < 0)
		return 1;
	return S_ISREG(st.st_mode) ? 0 : 2;
}

/* Start of the next "||" or "&&" at or after p, or the terminating NUL. */
static const char *segment_end(const char *p)
{
	for (; *p != '\0'; p++) {
		if ((p[0] == '|' && p[1] == '|') || (p[0] == '&' && p[1] == '&'))
			return p;
	}
	return p;
}

/*
 * Scan [p, end) for a refused character.  Like the reference, bytes are
 * compared on their low seven bits, so 0xBB is refused as ';' would be.
 * A '|' or '&' is allowed only next to another of the same byte (part of
 * "||" or "&&"); the neighbours are looked at in the whole command, which
 * starts at cmd.
 */
static int find_meta(const char *cmd, const char *p, const char *end, char *bad)
{
	for (; p < end; p++) {
		char c = *p;
		char low = (char)(c & 0x7f);

		if (low != '\0' && strchr(METACHARS, low) != NULL) {
			*bad = c;
			return 1;
		}
		if (low == '|' || low == '&') {
			int paired = c == low && ((p > cmd && p[-1] == c) || p[1] == c);

			if (!paired) {
				*bad = c;
				return 1;
			}
		}
	}
	return 0;
}

/* Check the program word [w, wend) and append what replaces it. */
static enum smrsh_result put_program(const char *w, const char *wend, const char *dir,
                                     smrsh_check_fn check, void *ctx, struct smrsh_out *out)
{
	size_t wlen = (size_t)(wend - w);
	const char *base = w;
	struct sm_buf path = SM_BUF_INIT;
	int r;

	if ((wlen == 4 && memcmp(w, "exit", 4) == 0) || (wlen == 4 && memcmp(w, "echo", 4) == 0)) {
		sm_buf_append(&out->cmd, w, wlen);
		return SMRSH_OK;
	}
	for (const char *q = w; q < wend; q++) {
		if (*q == '/')
			base = q + 1;
	}
	sm_buf_reset(&out->word);
	sm_buf_append(&out->word, base, (size_t)(wend - base));
	sm_buf_printf(&path, "%s/%s", dir, sm_buf_str(&out->word));
	if (path.len >= PATH_MAX) {
		sm_buf_free(&path);
		return SMRSH_NAME_LONG;
	}
	r = check(sm_buf_str(&path), ctx);
	if (r == 0)
		sm_buf_append(&out->cmd, path.data, path.len);
	sm_buf_free(&path);
	return r == 0 ? SMRSH_OK : r == 1 ? SMRSH_NO_FILE : SMRSH_NOT_FILE;
}

/* One segment starting at *pp; advances *pp past it and its separator. */
static enum smrsh_result do_segment(const char *cmd, const char **pp, const char *dir,
                                    smrsh_check_fn check, void *ctx, struct smrsh_out *out)
{
	const char *p = skip_blanks(*pp);
	const char *w, *end;
	enum smrsh_result r;

	while (strncmp(p, "exec", 4) == 0 && is_blank(p[4])) {
		sm_buf_puts(&out->cmd, "exec ");
		p = skip_blanks(p + 5);
		if (*p == '\0')
			return SMRSH_NO_EXEC_ARG;
	}
	if (*p == '\0') {
		*pp = p;
		return SMRSH_OK;
	}
	for (w = p; *p != '\0' && !is_blank(*p); p++)
		;
	r = put_program(w, p, dir, check, ctx, out);
	if (r != SMRSH_OK)
		return r;
	end = segment_end(p);
	if (find_meta(cmd, w, end, &out->meta))
		return SMRSH_META;
	sm_buf_append(&out->cmd, p, (size_t)(end - p));
	if (*end != '\0') {
		sm_buf_append(&out->cmd, end, 2);
		end += 2;
	}
	*pp = end;
	return SMRSH_OK;
}

enum smrsh_result smrsh_rewrite(const char *cmd, const char *dir, smrsh_check_fn check, void *ctx,
                                struct smrsh_out *out)
{
	const char *p = cmd;
	size_t len = strlen(cmd);

	sm_buf_reset(&out->cmd);
	sm_buf_reset(&out->word);
	out->meta = '\0';
	if (len > SMRSH_INPUT_MAX)
		return SMRSH_TOO_LONG;
	if (*skip_blanks(cmd) == '\0')
		return SMRSH_EMPTY;
	/* Each round consumes at least one byte, so len + 1 rounds suffice. */
	for (size_t round = 0; *p != '\0' && round <= len; round++) {
		enum smrsh_result r = do_segment(cmd, &p, dir, check, ctx, out);

		if (r != SMRSH_OK)
			return r;
		if (out->cmd.len > SMRSH_OUTPUT_MAX)
			return SMRSH_TOO_LONG;
	}
	return SMRSH_OK;
}

void smrsh_out_free(struct smrsh_out *out)
{
	sm_buf_free(&out->cmd);
	sm_buf_free(&out->word);
}
