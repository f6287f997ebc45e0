/*
 * alias_int: what the alias module's files share and nobody else uses.
 */
#ifndef ALIAS_ALIAS_INT_H
#define ALIAS_ALIAS_INT_H

#include "sendmail/alias/alias.h"

/* Print "FNAME: line N: text" (line 0: "FNAME: text") on the message stream. */
void alias_msg(const struct alias_opts *o, const char *fname, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
