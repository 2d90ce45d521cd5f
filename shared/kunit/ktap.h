/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KTAP output as KUnit writes it (Documentation/dev-tools/ktap.rst): one
 * printer for the test run, the explorer and torture.
 *
 *	KTAP version 1
 *	# vma: kernel tree ...
 *	1..2				one line per suite (table)
 *	    KTAP version 1
 *	    # Subtest: attach
 *	    1..6
 *	    # a diagnostic of the case that follows
 *	    ok 1 attach_detached
 *	    ...
 *	# attach: pass:6 fail:0 skip:0 total:6
 *	ok 1 attach
 *	...
 *	# Totals: pass:130 fail:0 skip:9 total:139
 *	vma: 130 passed, 0 failed, 9 skipped
 *
 * Diagnostics are indented to the level of the test they belong to.
 */
#ifndef _VH_KTAP_H
#define _VH_KTAP_H

#include <stdbool.h>

/**
 * struct vh_ktap_counts - results of a suite, or of the whole run
 * @pass:	tests that passed
 * @fail:	tests that failed
 * @skip:	tests that were skipped
 */
struct vh_ktap_counts {
	int pass, fail, skip;
};

enum vh_ktap_result { VH_KTAP_PASS, VH_KTAP_FAIL, VH_KTAP_SKIP };

/**
 * vh_ktap_setup() - what the header of every run names
 * @tree:	the kernel tree and its version
 * @seed:	the run's seed
 */
void vh_ktap_setup(const char *tree, unsigned long seed);
/**
 * vh_ktap_begin() - start the output: version, kernel tree, seed, plan
 * @nr:		how many top-level tests (suites) follow
 */
void vh_ktap_begin(int nr);
/**
 * vh_ktap_suite_begin() - open a nested suite of @nr cases named @name
 */
void vh_ktap_suite_begin(const char *name, int nr);
/**
 * vh_ktap_result() - one result line at the current level
 * @res:	pass, fail or skip
 * @name:	the test's name
 * @directive:	NULL, or what follows "# " (TIMEOUT), or after "# SKIP "
 *		(the reason) for a skipped test
 *
 * Counts the result in the current suite and in the run.
 */
void vh_ktap_result(enum vh_ktap_result res, const char *name,
		    const char *directive);
/**
 * vh_ktap_suite_end() - close the current suite with its counts and result
 */
void vh_ktap_suite_end(void);
/**
 * vh_ktap_end() - the run's totals and the closing "vma: N passed, ..." line
 *
 * Returns the process exit status: 1 if a test failed, else 0.
 */
int vh_ktap_end(void);
/* A diagnostic line ("# ...") at the current level. */
void vh_ktap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* How deep the current level is indented (0 at the top). */
int vh_ktap_depth(void);

#endif /* _VH_KTAP_H */
