/*
 * sm_exit: sysexits-style outcome codes and their names.
 *
 * The codes are those of <sysexits.h> (EX_OK, EX_USAGE=64 ... EX_CONFIG=78),
 * which Sendmail uses for exit status and for mailer results.  Names are
 * the ones "$#error $@ NAME" accepts in rules (USAGE, NOUSER, TEMPFAIL, ...).
 */
#ifndef SM_EXIT_H
#define SM_EXIT_H

#include <sysexits.h>

/* "USAGE", "NOUSER", ... for a code, or NULL if it has none. */
const char *sm_exit_name(int code);
/* The code for a name (case-insensitive, without the EX_ prefix), or -1. */
int sm_exit_code(const char *name);
/* A short human text for a code ("Service unavailable"), or NULL. */
const char *sm_exit_text(int code);

#endif
