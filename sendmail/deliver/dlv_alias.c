/*
 * deliver/dlv_alias: ADAPTER until sendmail/envelope/envelope.h offers
 * alias expansion.  Remove this file and call the envelope module from
 * dlv_rcpt.c's try_alias() once it does.
 *
 * Internal (dlv_int.h): dlv_alias_lookup.
 *
 * Looks the local part up in the "aliases" map that the map registry
 * declares for every configuration (a switch over the AliasFile
 * databases, as Sendmail's), with the key folded to lower case as
 * newaliases stores it.  No .forward, no owner- redirection: those are
 * the envelope module's.
 */
#include <ctype.h>
#include <string.h>

#include "libsm/sm_arena.h"
#include "sendmail/cf/config.h"
#include "sendmail/deliver/dlv_int.h"
#include "sendmail/map/map.h"

int dlv_alias_lookup(struct dlv_job *j, const char *user, char **value)
{
	struct map *m = j->cf->maps != NULL ? map_find(j->cf->maps, "aliases") : NULL;
	struct map_ctx ctx = {j->cf, j->mac, j->a};
	char *key = sm_arena_strdup(j->a, user);
	enum map_status st;

	if (m == NULL)
		return 0;
	for (char *p = key; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	*value = NULL;
	st = map_lookup(m, &ctx, key, NULL, 0, value);
	if (st == MAP_TEMPFAIL)
		return -1;
	return st == MAP_FOUND && *value != NULL ? 1 : 0;
}
