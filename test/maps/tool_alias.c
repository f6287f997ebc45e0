/*
 * tool_alias: a test helper (not installed) that runs the alias module
 * the way "sendmail -bi" will: alias_rebuild_all() on the AliasFile
 * entries given as arguments, summary lines announced, messages on
 * stdout; exits with alias_rebuild_all()'s status.
 *
 *   tool_alias [-A] SPEC...     -A: pretend every entry has the -A flag
 */
#include <stdio.h>
#include <string.h>

#include "sendmail/alias/alias.h"

int main(int argc, char **argv)
{
	struct alias_opts o = {.msgs = stdout, .announce = 1};
	int status;

	if (argc < 2) {
		fprintf(stderr, "usage: tool_alias SPEC...\n");
		return 64;
	}
	status = alias_rebuild_all((const char *const *)argv + 1, (size_t)argc - 1, &o);
	fflush(stdout);
	return status;
}
