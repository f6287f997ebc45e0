/*
 * sm_load: the 1-minute load average (getloadavg), with the test
 * override SM_TEST_LOADAVG.  See sm_load.h.
 */
#include <stdlib.h>
#include <unistd.h>

#include "libsm/sm_load.h"

double sm_load_average(void)
{
	double la[1];
	const char *t = getuid() == geteuid() ? getenv("SM_TEST_LOADAVG") : NULL;

	if (t != NULL)
		return atof(t);
	if (getloadavg(la, 1) != 1)
		return -1;
	return la[0];
}
