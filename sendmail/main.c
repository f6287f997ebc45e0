/*
 * main: command line and mode dispatch for sendmail.
 *
 * Placeholder until the address test mode lands: it only reports that no
 * mode is implemented.
 */
#include <stdio.h>

#include "libsm/sm_exit.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "sendmail: no operation mode implemented yet\n");
	return EX_USAGE;
}
