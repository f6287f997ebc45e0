/*
 * sm_load: the system's load average, as the daemon's limits (QueueLA,
 * RefuseLA, DelayLA) and the queue runner's shouldqueue() read it.
 *
 * SM_TEST_LOADAVG in the environment replaces the measurement for tests
 * (only when the process is not set-id), so the limits can be exercised
 * on any machine.
 */
#ifndef SM_LOAD_H
#define SM_LOAD_H

/* The 1-minute load average, or -1 when the system cannot say. */
double sm_load_average(void);

#endif
