/*
 * deliver/dlv_compat: the check_compat ruleset, run once per recipient
 * just before its delivery (Sendmail's deliver() does the same).
 *
 * Internal (dlv_int.h): dlv_check_compat.
 *
 * Input "sender $| recipient" (the queued envelope sender, "<>" for the
 * null sender, and the recipient as resolved).  The answer:
 *   $#error [$@ status] $: [code] text   -> permanent failure of that
 *       recipient ("Data format error", as the reference, even for 4.x.x);
 *   $#discard                           -> the recipient is dropped;
 *   anything else                       -> deliver.
 * A cf without check_compat costs nothing.  Never touches the qf.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/deliver/dlv_int.h"
#include "sendmail/rules/parseaddr.h"
#include "sendmail/rules/rewrite.h"

/* Tokens [from, to) joined as an address, blanks between atoms. */
static char *join(struct dlv_job *j, const struct tokvec *tv, size_t from, size_t to, int sub)
{
	return pa_cataddr_str(j->cf, j->a, tv->v + from, from < to ? to - from : 0, sub);
}

/*
 * $#error: the recipient fails for good with "Data format error", the
 * $: text in the transcript, whatever the status says (the reference
 * 8.17 bounces a 4.x.x answer of check_compat too).
 */
static void compat_error(struct dlv_job *j, struct dlv_rcpt *r, const struct tokvec *tv)
{
	size_t i = 2, hs;
	const char *status = NULL;
	char *text;

	if (i < tv->n && tv->v[i].kind == TK_HOST) {
		hs = ++i;
		while (i < tv->n && tv->v[i].kind != TK_USER)
			i++;
		status = join(j, tv, hs, i, '\0');
	}
	while (i < tv->n && tv->v[i].kind != TK_USER)
		i++;
	text = join(j, tv, i < tv->n ? i + 1 : tv->n, tv->n, ' ');
	pa_stripquotes(text);
	if (isdigit((unsigned char)text[0]) && isdigit((unsigned char)text[1]) &&
	    isdigit((unsigned char)text[2]) && (text[3] == ' ' || text[3] == '\0'))
		text += text[3] == ' ' ? 4 : 3;
	if (status == NULL || !isdigit((unsigned char)status[0]))
		status = "5.6.0";
	dlv_set_result(j, r, EX_DATAERR, status, "Data format error", text);
	r->state = DS_PERM; /* even for a 4.x.x status */
}

bool dlv_check_compat(struct dlv_job *j, struct dlv_rcpt *r)
{
	int rs = config_ruleset_number(j->cf, "check_compat", false);
	const char *from = j->sender != NULL && j->sender[0] != '\0' ? j->sender : "<>";
	struct tokvec tv;

	if (rs < 0 || config_ruleset(j->cf, rs) == NULL)
		return true;
	if (!pa_check_input(j->cf, j->a, from, true, r->addr, &tv))
		return true;
	if (rewrite(&j->rw, rs, 0, &tv) == EX_TEMPFAIL) {
		dlv_set_result(j, r, EX_TEMPFAIL, "4.3.0", "Temporary system failure.", NULL);
		return false;
	}
	if (tv.n < 2 || tv.v[0].kind != TK_NET || tv.v[1].kind != TK_WORD)
		return true;
	if (strcasecmp(tv.v[1].s, "discard") == 0) {
		r->state = DS_DROPPED;
		return false;
	}
	if (strcasecmp(tv.v[1].s, "error") != 0)
		return true;
	compat_error(j, r, &tv);
	return false;
}
