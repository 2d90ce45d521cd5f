// SPDX-License-Identifier: GPL-2.0
/*
 * The libFuzzer target (make FUZZ=1, build/fuzz/vma-fuzz): decodes an
 * input into operations (fuzz/fuzz.h) and runs them on the engine
 * (fuzz/vma_fuzz.c).  A finding abort()s with the broken rule, the
 * operations and the layout before and after the failing one.
 *
 * In the environment: FZ_PRINT=1 prints every input's decoded operations
 * (scripts/fuzz_decode.sh); FZ_ROW=NAME prints the input, run to its end
 * on this (clean) build, as a row of tests/fuzz_regress.c
 * (scripts/fuzz_row.sh): the operations as they ran (a whole VMA or hole
 * resolved into its range, fuzz/fuzz.h).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/mm.h>
#include "../shared/env/env.h"
#include "../shared/kunit/mode.h"
#include "../shared/kunit/test.h"
#include "fuzz.h"

static bool fz_print;
static const char *fz_row;

static void __attribute__((noreturn)) fz_abort(const char *msg,
					      const char *ops,
					      const char *before,
					      const char *after)
{
	fprintf(stderr, "FUZZ FINDING: %s\nops:\n%sbefore: \"%s\"\nafter:  \"%s\"\n",
		msg, ops, before, after);
	abort();
}

/* At exit: how often each known kernel warning came (fz_known[]). */
static void fz_known_print(void)
{
	int k;

	for (k = 0; k < FZ_NR_KNOWN; k++)
		if (fz_known_hits(k))
			fprintf(stderr, "FUZZ KNOWN: %lu x '%s': %s\n",
				fz_known_hits(k), fz_known[k].warn,
				fz_known[k].why);
}

int LLVMFuzzerInitialize(int *argc __attribute__((unused)),
			 char ***argv __attribute__((unused)))
{
	rcu_register_thread();
	vh_env_init();
	fz_print = getenv("FZ_PRINT") != NULL;
	fz_row = getenv("FZ_ROW");
	fz_init(fz_abort);
	atexit(fz_known_print);
	return 0;
}

/* The input as a row of tests/fuzz_regress.c. */
static void fz_print_row(const struct fz_op *ops, int n,
			 const struct fz_trace *t)
{
	char buf[128], name[16];
	int i, j;

	printf("\t{ .desc = \"%s\",\n\t  FZ_OPS(\n", fz_row);
	for (i = 0; i < n; i++) {
		fz_describe_op(&ops[i], buf, sizeof(buf));
		for (j = 0; fz_op_names[ops[i].op][j] && j < 15; j++)
			name[j] = toupper(fz_op_names[ops[i].op][j]);
		name[j] = 0;
		printf("\t\t{ FZ_OP_%s, .page = %d, .len = %d, .arg = %#x",
		       name, ops[i].page, ops[i].len,
		       ops[i].arg);
		/* The bits an op reads (fz_run() cleared the others). */
		if (ops[i].aux)
			printf(", .aux = %d", ops[i].aux);
		printf(" },%s/* %s */\n", strlen(buf) > 30 ? "\n\t\t\t" : "\t",
		       buf);
	}
	printf("\t  ),\n\t  .before = \"%s\",\n\t  .after  = \"%s\" },\n",
	       t->before, t->after);
	fflush(stdout);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_op ops[FZ_MAX_OPS];
	struct fz_trace t;
	int n = 0;
	size_t i;

	vh_test_reset();
	for (i = 0; i + 4 <= size && n < FZ_MAX_OPS; i += 4)
		fz_decode(data + i, &ops[n++]);
	if (fz_print)
		fz_describe(stdout, ops, n, "  ");
	fz_run(ops, n, &t);
	if (fz_row)
		fz_print_row(t.ran, t.nr_ran, &t);
	return 0;
}
