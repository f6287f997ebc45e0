/*
 * sm_file: safe file input and output.
 *
 *   sm_getline        read one line of any length into an sm_buf
 *   sm_read_file      slurp a whole file into an sm_buf
 *   sm_write_atomic   replace a file: temp file in the same directory,
 *                     write, fsync, rename, fsync the directory; a reader
 *                     sees the old file or the new one, never a torn one
 *
 * Errors are returned (-1 with errno set), never printed: the caller knows
 * what the file means and names it in its message.
 */
#ifndef SM_FILE_H
#define SM_FILE_H

#include <stdio.h>
#include <sys/types.h>

#include "sm_buf.h"

/*
 * Read one line (without its '\n'; a '\r' before it is kept) into b,
 * replacing b's contents.  Returns 1 for a line, 0 at end of file, -1 on
 * error.  max bounds the line length (0 = no bound); a longer line is
 * truncated to max bytes, the rest is discarded and *truncated set.
 */
int sm_getline(FILE *fp, struct sm_buf *b, size_t max, int *truncated);

/* Read the whole file at path into b (replacing it).  0 or -1. */
int sm_read_file(const char *path, struct sm_buf *b);

/* Atomically replace path with len bytes of data, created with mode. */
int sm_write_atomic(const char *path, const void *data, size_t len, mode_t mode);

#endif
