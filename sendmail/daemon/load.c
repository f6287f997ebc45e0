/*
 * daemon/load.c: the two measurements the daemon's limits need.
 *
 * load_average() is the 1-minute load average (libsm/sm_load, with its
 * SM_TEST_LOADAVG override) as Sendmail's getla() rounds it (QueueLA,
 * RefuseLA, DelayLA compare against it);
 * disk_short() says whether the queue's file system has fewer free
 * blocks than MinFreeBlocks, or not room for a message of the announced
 * SIZE on top of them (Sendmail's enoughdiskspace()).
 */
#include <stdlib.h>
#include <sys/statvfs.h>

#include "libsm/sm_load.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/options.h"
#include "sendmail/daemon/dint.h"

int load_average(void)
{
	double la = sm_load_average();

	return la < 0 ? 0 : (int)(la + 0.5);
}

bool disk_short(struct config *cf, const char *dir, long need)
{
	long min = opt_num(cf->opt, OPT_MIN_FREE_BLOCKS);
	struct statvfs st;
	unsigned long long avail, needed;

	if (min <= 0 && need <= 0)
		return false;
	if (statvfs(dir, &st) != 0 || st.f_bsize == 0)
		return false;
	avail = (unsigned long long)st.f_bavail;
	needed = (unsigned long long)(min > 0 ? min : 0);
	if (need > 0)
		needed += (unsigned long long)need / st.f_bsize + 1;
	return avail < needed;
}
