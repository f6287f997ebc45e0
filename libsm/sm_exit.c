/*
 * sm_exit: the table of sysexits codes, names and texts.  See sm_exit.h.
 */
#include "sm_exit.h"

#include <stddef.h>
#include <strings.h>

struct exit_row {
	int code;
	const char *name;
	const char *text;
};

static const struct exit_row exit_rows[] = {
	{EX_OK, "OK", "Success"},
	{EX_USAGE, "USAGE", "Bad usage"},
	{EX_DATAERR, "DATAERR", "Data format error"},
	{EX_NOINPUT, "NOINPUT", "Cannot open input"},
	{EX_NOUSER, "NOUSER", "User unknown"},
	{EX_NOHOST, "NOHOST", "Host unknown"},
	{EX_UNAVAILABLE, "UNAVAILABLE", "Service unavailable"},
	{EX_SOFTWARE, "SOFTWARE", "Internal error"},
	{EX_OSERR, "OSERR", "Operating system error"},
	{EX_OSFILE, "OSFILE", "System file missing"},
	{EX_CANTCREAT, "CANTCREAT", "Can't create output"},
	{EX_IOERR, "IOERR", "I/O error"},
	{EX_TEMPFAIL, "TEMPFAIL", "Deferred"},
	{EX_PROTOCOL, "PROTOCOL", "Remote protocol error"},
	{EX_NOPERM, "NOPERM", "Insufficient permission"},
	{EX_CONFIG, "CONFIG", "Local configuration error"},
};

const char *sm_exit_name(int code)
{
	for (size_t i = 0; i < sizeof(exit_rows) / sizeof(exit_rows[0]); i++)
		if (exit_rows[i].code == code)
			return exit_rows[i].name;
	return NULL;
}

int sm_exit_code(const char *name)
{
	for (size_t i = 0; i < sizeof(exit_rows) / sizeof(exit_rows[0]); i++)
		if (strcasecmp(exit_rows[i].name, name) == 0)
			return exit_rows[i].code;
	return -1;
}

const char *sm_exit_text(int code)
{
	for (size_t i = 0; i < sizeof(exit_rows) / sizeof(exit_rows[0]); i++)
		if (exit_rows[i].code == code)
			return exit_rows[i].text;
	return NULL;
}
