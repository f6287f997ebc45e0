/*
 * libsm/sm_traffic.h: the -X traffic log shared by every dialogue.
 *
 * One process-wide FILE set by main (sm_traffic_set; NULL = off).
 * sm_traffic_line writes "PPPPP dir text\n" (pid with at least five
 * digits) and flushes, so forked children interleave whole lines.
 * sm_traffic_stream splits a byte stream into such lines, keeping a
 * partial last line in the caller's sm_buf until its newline arrives.
 * Never opens or closes the file.
 */
#ifndef SM_TRAFFIC_H
#define SM_TRAFFIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "libsm/sm_buf.h"

void sm_traffic_set(FILE *f);
FILE *sm_traffic_file(void);
bool sm_traffic_on(void);
void sm_traffic_line(const char *dir, const char *line);
/* Log the complete lines of p[0..n) ("\n" dropped; a CR before it is
 * kept when keep_cr, dropped otherwise); the rest waits in pend. */
void sm_traffic_stream(struct sm_buf *pend, const char *dir, const char *p, size_t n,
                       bool keep_cr);

#endif
