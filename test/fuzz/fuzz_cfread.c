/*
 * fuzz_cfread: the cf reader on arbitrary file content (through
 * readcf_stream on a memory stream), then every ruleset dumped with the
 * token printer, which walks what tok_scan_rule built.
 *
 * Lines whose errors are fatal by design (O options: exit with EX_CONFIG
 * as Sendmail does), or that reach outside the process (F: files and
 * programs, M: mailer programs) are dropped before reading; R S C D V K H
 * lines, comments and continuation lines are kept.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/rules/token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *cf;
	FILE *fp;
	struct sm_buf b = SM_BUF_INIT;

	if (size == 0)
		return 0;
	for (size_t i = 0; i < size;) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t end = nl ? (size_t)(nl - data) + 1 : size;

		if (strchr("OFMPTELQXYG", data[i]) == NULL || data[i] == '\0')
			sm_buf_append(&b, data + i, end - i);
		i = end;
	}
	if (b.len == 0) {
		sm_buf_free(&b);
		return 0;
	}
	fp = fmemopen(b.data, b.len, "r");
	if (fp == NULL) {
		sm_buf_free(&b);
		return 0;
	}
	cf = config_new();
	readcf_stream(cf, fp, "fuzz.cf");
	fclose(fp);
	sm_buf_reset(&b);
	for (int i = 0; i < MAXRWSETS; i++) {
		const struct ruleset *rs = config_ruleset(cf, i);

		for (size_t r = 0; rs != NULL && r < rs->nrules; r++) {
			tok_format(cf, rs->rules[r].lhs, rs->rules[r].nlhs, &b);
			tok_format(cf, rs->rules[r].rhs, rs->rules[r].nrhs, &b);
			sm_buf_reset(&b);
		}
	}
	sm_buf_free(&b);
	config_free(cf);
	return 0;
}
