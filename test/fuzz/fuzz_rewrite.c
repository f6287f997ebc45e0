/*
 * fuzz_rewrite: tokenizer plus rewriting through a small fixed rule set
 * that exercises every matcher element, $n, $&x, a map lookup, $> calls
 * (with a run-time name), the $: $@ $# prefixes and the loop limits.
 * The input's first byte picks the ruleset, the rest is the address.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libsm/sm_arena.h"
#include "sendmail/cf/config.h"
#include "sendmail/rules/rewrite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char CF[] =
	"V10/Berkeley\n"
	"O OperatorChars=.:%@!^/[]+\n"
	"O BlankSub=.\n"
	"Kdq dequote\n"
	"Cw localhost example.com a.b.c\n"
	"C{M} x.y p\n"
	"S3\n"
	"R$@\t$@ <@>\n"
	"R$* < $* > $*\t$2\n"
	"R$+ @ $+\t$: $1 < @ $2 >\n"
	"R$* < @ $=w > $*\t$: $1 < @ $2 . > $3\n"
	"R$* $~M $+\t$: $>Sub $1 $2 $3\n"
	"R$* $={M} $*\t$: $( dq $1 $@ $2 $: $3 $)\n"
	"R$- $| $*\t$: $>$1 $2\n"
	"R$* x\t$1 x x\n"
	"R$&q $*\t$@ $&z $1\n"
	"R$+\t$: $>0 $1\n"
	"S0\n"
	"R$* < @ $+ > $*\t$# smtp $@ $2 $: $1\n"
	"R$+\t$# local $: $1\n"
	"SSub\n"
	"R$* a $+ b $*\t$@ $>Sub $1 $2 $3\n"
	"R$*\t$@ $1\n"
	"SLoop\n"
	"R$*\t$1\n";

static struct config *cf;
static struct macros *mac;
static FILE *sink;

static void init(void)
{
	FILE *fp = fmemopen((void *)CF, strlen(CF), "r");

	cf = config_new();
	readcf_stream(cf, fp, "fuzz.cf");
	fclose(fp);
	mac = macros_new(cf->macros);
	macro_set(mac, macro_id("z"), "a (b) <c");
	macro_set(mac, macro_id("q"), "x");
	sink = fopen("/dev/null", "w");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const sets[] = {"3", "0", "Sub", "Loop"};
	struct sm_arena *a;
	struct rw_ctx ctx;
	struct tokvec tv;
	struct tok_error err;
	const char *addr;
	int rs;

	if (cf == NULL)
		init();
	if (size < 1)
		return 0;
	a = sm_arena_new();
	addr = sm_arena_memdup(a, data + 1, size - 1);
	rs = config_ruleset_number(cf, sets[data[0] % 4], false);
	memset(&ctx, 0, sizeof(ctx));
	ctx.cf = cf;
	ctx.macros = mac;
	ctx.arena = a;
	ctx.trace = sink;
	ctx.errout = sink;
	ctx.debug21 = data[0] & 0x80 ? 12 : 0;
	tokvec_init(&tv, a);
	if (tok_scan_address_ex(cf, a, addr, (data[0] & 0x40) ? ',' : '\0',
				(data[0] & 0x20) ? TOKS_COMMENTS : 0, &tv, NULL, &err) && rs >= 0)
		rewrite(&ctx, rs, 0, &tv);
	sm_arena_free(a);
	return 0;
}
