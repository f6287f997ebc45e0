/*
 * smrsh_cmd: the policy of the restricted shell, as a pure function.
 *
 * smrsh_rewrite() checks one "-c" command line and builds the command that
 * is handed to /bin/sh: every program named at the start of a segment
 * (segments are separated by "||" or "&&") is replaced by the file of the
 * same base name in the program directory, which must exist and be a
 * regular file; the builtins "exit" and "echo" pass unchanged; a leading
 * "exec" is kept.  Shell metacharacters that could start another command
 * or redirect output are refused.  The rules, limits and their order are
 * those of Sendmail 8.17's smrsh:
 *
 *   - the command may be at most SMRSH_INPUT_MAX bytes, the rewritten one
 *     at most SMRSH_OUTPUT_MAX; blank means space or tab only;
 *   - a blank command is a usage error;
 *   - per segment, in order: leading blanks are dropped; each "exec"
 *     followed by a blank becomes "exec " (nothing after it: "missing
 *     command to exec"); the first word is checked; then the segment is
 *     scanned for ` < > ; $ ( ) ^ CR LF and for a single | or &, on the
 *     low seven bits of each byte (0xBB is refused like ';').
 *
 * The function never prints and never runs anything; main (smrsh.c) turns
 * the result into Sendmail's messages and exit codes.
 */
#ifndef SMRSH_CMD_H
#define SMRSH_CMD_H

#include "libsm/sm_buf.h"

#define SMRSH_INPUT_MAX  982
#define SMRSH_OUTPUT_MAX 998

enum smrsh_result {
	SMRSH_OK,
	SMRSH_EMPTY,       /* blank command: usage */
	SMRSH_TOO_LONG,    /* input or rewritten command too long */
	SMRSH_NO_EXEC_ARG, /* "exec" with nothing after it */
	SMRSH_NO_FILE,     /* program missing: word = its base name */
	SMRSH_NOT_FILE,    /* program not a regular file: word = base name */
	SMRSH_NAME_LONG,   /* program path too long: word = base name */
	SMRSH_META,        /* refused character: meta = it */
};

struct smrsh_out {
	struct sm_buf cmd;  /* the rewritten command (SMRSH_OK) */
	struct sm_buf word; /* the program base name of a refused program */
	char meta;          /* the refused metacharacter */
};

/*
 * How a program file is checked: returns 0 for a regular file, 1 when it
 * does not exist (stat fails), 2 when it is not a regular file.
 * smrsh_stat_check() is the real one (stat(2)); tests pass their own.
 */
typedef int (*smrsh_check_fn)(const char *path, void *ctx);
int smrsh_stat_check(const char *path, void *ctx);

/* Check and rewrite cmd for the program directory dir; fills out. */
enum smrsh_result smrsh_rewrite(const char *cmd, const char *dir, smrsh_check_fn check, void *ctx,
                                struct smrsh_out *out);

void smrsh_out_free(struct smrsh_out *out);

#endif
