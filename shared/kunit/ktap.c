// SPDX-License-Identifier: GPL-2.0
/* The KTAP printer (ktap.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>
#include "../env/kcsan.h"
#include "ktap.h"

static pthread_mutex_t vh_ktap_lock = PTHREAD_MUTEX_INITIALIZER;
static int vh_depth;			/* 0: top level, 1: inside a suite */
static int vh_top_nr, vh_suite_nr;	/* results so far at each level */
static char vh_suite_name[128];
static struct vh_ktap_counts vh_suite, vh_total;
static const char *vh_ktap_tree = "?";
static unsigned long vh_ktap_seed;

void vh_ktap_setup(const char *tree, unsigned long seed)
{
	vh_ktap_tree = tree;
	vh_ktap_seed = seed;
}

static void vh_indent(void)
{
	int i;

	for (i = 0; i < vh_depth; i++)
		fputs("    ", stdout);
}

void vh_ktap_begin(int nr)
{
	printf("KTAP version 1\n");
	printf("# vma: kernel tree %s\n", vh_ktap_tree);
	printf("# seed: %lu (replay with --seed %lu)\n", vh_ktap_seed,
	       vh_ktap_seed);
	printf("1..%d\n", nr);
	fflush(stdout);
}

void vh_ktap_suite_begin(const char *name, int nr)
{
	pthread_mutex_lock(&vh_ktap_lock);
	snprintf(vh_suite_name, sizeof(vh_suite_name), "%s", name);
	memset(&vh_suite, 0, sizeof(vh_suite));
	vh_suite_nr = 0;
	vh_depth = 1;
	printf("    KTAP version 1\n    # Subtest: %s\n    1..%d\n", name, nr);
	fflush(stdout);
	pthread_mutex_unlock(&vh_ktap_lock);
}

static void vh_count(struct vh_ktap_counts *c, enum vh_ktap_result res)
{
	if (res == VH_KTAP_PASS)
		c->pass++;
	else if (res == VH_KTAP_FAIL)
		c->fail++;
	else
		c->skip++;
}

static void vh_line(enum vh_ktap_result res, int nr, const char *name,
		    const char *directive)
{
	vh_indent();
	printf("%s %d %s", res == VH_KTAP_FAIL ? "not ok" : "ok", nr, name);
	if (res == VH_KTAP_SKIP)
		printf(" # SKIP%s%s", directive ? " " : "", directive ?: "");
	else if (directive)
		printf(" # %s", directive);
	putchar('\n');
	fflush(stdout);
}

void vh_ktap_result(enum vh_ktap_result res, const char *name,
		    const char *directive)
{
	pthread_mutex_lock(&vh_ktap_lock);
	vh_count(&vh_total, res);
	if (vh_depth)
		vh_count(&vh_suite, res);
	vh_line(res, vh_depth ? ++vh_suite_nr : ++vh_top_nr, name, directive);
	pthread_mutex_unlock(&vh_ktap_lock);
}

static void vh_print_counts(const char *what, const struct vh_ktap_counts *c)
{
	printf("# %s: pass:%d fail:%d skip:%d total:%d\n", what, c->pass,
	       c->fail, c->skip, c->pass + c->fail + c->skip);
}

void vh_ktap_suite_end(void)
{
	enum vh_ktap_result res = VH_KTAP_PASS;

	pthread_mutex_lock(&vh_ktap_lock);
	vh_depth = 0;
	if (vh_suite.fail)
		res = VH_KTAP_FAIL;
	else if (vh_suite.skip && !vh_suite.pass)
		res = VH_KTAP_SKIP;
	vh_print_counts(vh_suite_name, &vh_suite);
	vh_line(res, ++vh_top_nr, vh_suite_name, NULL);
	pthread_mutex_unlock(&vh_ktap_lock);
}

int vh_ktap_end(void)
{
#ifdef VH_KCSAN
	char kcsan[256];

	vh_kcsan_summary(kcsan, sizeof(kcsan));
	printf("# %s\n", kcsan);
#endif
	vh_print_counts("Totals", &vh_total);
	printf("vma: %d passed, %d failed, %d skipped\n", vh_total.pass,
	       vh_total.fail, vh_total.skip);
	fflush(stdout);
	return vh_total.fail ? 1 : 0;
}

void vh_ktap_diag(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&vh_ktap_lock);
	vh_indent();
	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	pthread_mutex_unlock(&vh_ktap_lock);
}

int vh_ktap_depth(void)
{
	return vh_depth;
}
