/*
 * envelope/env_int: what the envelope's files share and nobody else uses.
 */
#ifndef ENVELOPE_ENV_INT_H
#define ENVELOPE_ENV_INT_H

#include "sendmail/envelope/envelope.h"
#include "sendmail/rules/parseaddr.h"
#include "sendmail/rules/rewrite.h"

/* A parse context over e (messages to e->msgout, status to e->exitstat). */
struct env_pa {
	struct rw_ctx rw;
	struct pa_ctx pa;
};
void env_pa_init(struct envelope *e, struct env_pa *p);

/* Sendmail's buildfname(): the GECOS full name, '&' as the login capitalised. */
const char *env_gecos_name(struct envelope *e, const char *gecos, const char *login);

/* Where a message about an address came from (":include:" file and line). */
extern const char *env_cur_file;
extern int env_cur_line;

#endif
