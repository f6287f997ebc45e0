/*
 * smdb_cf: the few sendmail.cf settings the map programs need, read by a
 * minimal line scan (they do not link the full cf reader):
 *
 *   O TrustedUser=name|uid   owner given to maps built by root
 *   O AliasFile=spec,...     alias databases (praliases); also old "OA"
 *   K name class ... path    the class of the map whose file is path
 *                            (makemap's "cf" type)
 *
 * Only lines starting with 'O' or 'K' in column one are looked at, as the
 * companion programs of Sendmail do.  Never prints: problems are returned
 * as text in the result.
 */
#ifndef SMDB_CF_H
#define SMDB_CF_H

#include <stddef.h>
#include <sys/types.h>

#include "libsm/sm_buf.h"

struct smdb_cf {
	uid_t trusted_uid;     /* 0 when not set or unknown */
	struct sm_buf warning; /* "TrustedUser: unknown user x" lines, or empty */
	char **alias_specs;    /* each AliasFile entry, in order (malloc'd) */
	size_t n_alias_specs;
	struct sm_buf map_class; /* class of the K line matching mapname, or empty */
};

/*
 * Scan the cf at path.  mapname (may be NULL) selects the K line whose
 * last argument names that map: with fullpath the whole path must match,
 * otherwise the base names without extensions.  Returns 0, or an errno
 * value if the file cannot be opened.  Free with smdb_cf_free().
 */
int smdb_cf_read(const char *path, const char *mapname, int fullpath, struct smdb_cf *out);
void smdb_cf_free(struct smdb_cf *cf);

/* Split one AliasFile value ("a, hash:b,c") into out (appends, malloc'd). */
void smdb_cf_split_aliases(const char *value, char ***out, size_t *n);

#endif
