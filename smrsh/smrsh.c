/*
 * smrsh: the restricted shell for sendmail's prog mailer.
 *
 *   smrsh -c command
 *
 * Runs command through /bin/sh only after smrsh_rewrite() (smrsh_cmd.h)
 * has replaced every program by the file of the same base name in the
 * program directory and refused shell metacharacters.  The shell gets a
 * clean environment (PATH=/usr/bin:/bin and nothing else).
 *
 * The program directory is /etc/mail/smrsh (compile with
 * -DSMRSH_CMDDIR=\"dir\" to change it).  When smrsh runs without set-id
 * privileges, the environment variable SMRSH_CMDDIR overrides it; this is
 * for tests and private instances.
 *
 * Messages and exit codes are those of Sendmail 8.17's smrsh: usage errors
 * exit EX_USAGE, refused commands EX_UNAVAILABLE (with a syslog line
 * "uid N: attempt to use ..."), a shell that cannot be run EX_OSFILE.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <syslog.h>
#include <unistd.h>

#include "libsm/sm_buf.h"
#include "smrsh/smrsh_cmd.h"

#ifndef SMRSH_CMDDIR
#define SMRSH_CMDDIR "/etc/mail/smrsh"
#endif
#ifndef SMRSH_PATH
#define SMRSH_PATH "/usr/bin:/bin"
#endif
#define SMRSH_SHELL "/bin/sh"

static const char *prog = "smrsh";

static _Noreturn void usage(void)
{
	fprintf(stderr, "Usage: %s -c command\n", prog);
	exit(EX_USAGE);
}

/* The program directory: the built-in one, or SMRSH_CMDDIR when not set-id. */
static const char *cmd_dir(void)
{
	const char *env = getenv("SMRSH_CMDDIR");

	if (env != NULL && *env != '\0' && getuid() == geteuid() && getgid() == getegid())
		return env;
	return SMRSH_CMDDIR;
}

/* Report a refused program (the reason is printed in parentheses). */
static _Noreturn void refuse_program(const char *name, const char *why)
{
	if (why != NULL) {
		fprintf(stderr, "%s: \"%s\" not available for sendmail programs (%s)\n", prog, name,
		        why);
		syslog(LOG_CRIT, "uid %d: attempt to use \"%s\" (%s)", (int)getuid(), name, why);
	} else {
		fprintf(stderr, "%s: \"%s\" not available for sendmail programs\n", prog, name);
		syslog(LOG_CRIT, "uid %d: attempt to use \"%s\"", (int)getuid(), name);
	}
	exit(EX_UNAVAILABLE);
}

/* Turn a failed check into the reference's message and exit code. */
static _Noreturn void refuse(enum smrsh_result r, const char *cmd, const struct smrsh_out *out)
{
	const char *word = sm_buf_str(&out->word);

	switch (r) {
	case SMRSH_EMPTY:
		usage();
	case SMRSH_TOO_LONG:
		fprintf(stderr, "%s: command too long: %s\n", prog, cmd);
		syslog(LOG_WARNING, "command too long: %.40s", cmd);
		exit(EX_UNAVAILABLE);
	case SMRSH_NO_EXEC_ARG:
		fprintf(stderr, "%s: missing command to exec\n", prog);
		syslog(LOG_CRIT, "uid %d: missing command to exec", (int)getuid());
		exit(EX_UNAVAILABLE);
	case SMRSH_NO_FILE:
		refuse_program(word, "stat failed");
	case SMRSH_NOT_FILE:
		refuse_program(word, "not a file");
	case SMRSH_NAME_LONG:
		refuse_program(word, "filename too long");
	case SMRSH_META:
		fprintf(stderr, "%s: cannot use %c in command\n", prog, out->meta);
		syslog(LOG_CRIT, "uid %d: attempt to use %c in command: %s", (int)getuid(),
		       out->meta, cmd);
		exit(EX_UNAVAILABLE);
	case SMRSH_OK:
		break;
	}
	refuse_program(word, NULL);
}

int main(int argc, char **argv)
{
	static char *const clean_env[] = {"PATH=" SMRSH_PATH, NULL};
	struct smrsh_out out = {SM_BUF_INIT, SM_BUF_INIT, 0};
	enum smrsh_result r;
	const char *cmd;

	if (argc > 0 && argv[0] != NULL)
		prog = argv[0];
	openlog("smrsh", LOG_PID, LOG_MAIL);
	if (argc != 3 || strcmp(argv[1], "-c") != 0)
		usage();
	cmd = argv[2];
	r = smrsh_rewrite(cmd, cmd_dir(), smrsh_stat_check, NULL, &out);
	if (r != SMRSH_OK)
		refuse(r, cmd, &out);
	execle(SMRSH_SHELL, SMRSH_SHELL, "-c", sm_buf_str(&out.cmd), (char *)NULL, clean_env);
	fprintf(stderr, "%s: %s\n", SMRSH_SHELL, strerror(errno));
	syslog(LOG_CRIT, "Cannot exec %s: %s", SMRSH_SHELL, strerror(errno));
	return EX_OSFILE;
}
