/*
 * cf/mailer: delivery agents (M lines) and the built-in ones.
 *
 * Every configuration starts with three mailers, as Sendmail's do:
 * 0 "prog", 1 "*file*", 2 "*include*".  An M line for an existing name
 * replaces that mailer in place (so a cf's Mprog stays number 0); a new
 * name gets the next number (MAXMAILERS at most).
 *
 * Fields (only the first letter of a field name counts): P path, F flags,
 * S sender rulesets (envelope[/header]), R recipient rulesets, E end of
 * line, A argv, T dsn types, L line limit, M max size, m max messages,
 * r max recipients, C charset, D directories, U user[:group], N nice,
 * W wait, Q queue group, / root directory.
 *
 * mailer_print() writes one mailer exactly as Sendmail's -bt `=M` does.
 */
#ifndef CF_MAILER_H
#define CF_MAILER_H

#include <stdbool.h>
#include <stdio.h>

struct config;

struct mailer {
	const char *name;
	int number;
	const char *path;          /* P= */
	unsigned char flags[32];   /* F=: bit per byte value */
	int se_rwset, sh_rwset;    /* S= envelope / header sender rulesets (-1 none) */
	int re_rwset, rh_rwset;    /* R= envelope / header recipient rulesets */
	const char *eol;           /* E= (decoded: real \r\n bytes) */
	const char **argv;         /* A= words, NULL-terminated */
	const char *argv_raw;      /* A= as written */
	const char *mtatype;       /* T= parts; NULL = unset */
	const char *addrtype;
	const char *diagtype;
	int linelimit;             /* L= */
	long maxsize;              /* M= */
	int maxmessages;           /* m= */
	int maxrcpt;               /* r= */
	const char *charset;       /* C= */
	const char *execdir;       /* D= */
	const char *rootdir;       /* /= */
	int uid, gid;              /* U=; -1 = not set */
	const char *uidname;       /* user name given in U= (for later lookups) */
	int nice;                  /* N= */
	long wait;                 /* W= seconds */
	const char *qgrp;          /* Q= */
};

bool mailer_flag(const struct mailer *m, int c);
void mailer_set_flag(struct mailer *m, int c);

/* The mailer called name (case-insensitive), or NULL. */
struct mailer *mailer_find(const struct config *cf, const char *name);

/* Create the built-in mailers 0..2 in a new configuration. */
void mailer_setup_builtin(struct config *cf);

/* Parse an M line (text after the 'M'); errors go through cf/diag. */
void mailer_define(struct config *cf, const char *line);

/* Final fix-ups after the whole cf is read (implied flags, warnings). */
void mailer_finish(struct config *cf);

/* Print m as -bt =M does, with the trailing newline. */
void mailer_print(const struct config *cf, const struct mailer *m, FILE *fp);
/* Print every mailer in number order. */
void mailer_print_all(const struct config *cf, FILE *fp);

#endif
