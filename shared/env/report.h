/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The harness's own interface: the test runner core and the hooks through
 * which the environment stubs report to it.  Kernel code never sees this
 * header directly; the stubs under include/ do.
 */
#ifndef _VH_HARNESS_H
#define _VH_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdarg.h>

/* A WARN/BUG from kernel code, or a failed test assertion. */
void vh_report(const char *kind, const char *file, int line,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A diagnostic line of the running test ("    # ..."). */
void vh_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* BUG(): report, then stop the current test thread. */
void vh_bug(const char *file, int line, const char *cond)
	__attribute__((noreturn));

/*
 * Expected warnings.  A test that provokes a WARN on purpose brackets the
 * call with vh_expect_warn_begin()/vh_expect_warn_end(); warnings in between
 * are counted instead of failing the test.
 */
void vh_expect_warn_begin(void);
int vh_expect_warn_end(void);
bool vh_warn_expected(void);

/*
 * Relaxed lock assertions: the upstream suite never takes mmap_lock, so
 * "mmap_lock held" assertions are counted rather than failing while this is
 * set.  Only that suite uses it.
 */
extern bool vh_relaxed_lock_asserts;
extern unsigned long vh_relaxed_lock_assert_count;

/* Random numbers from the run's seed (--seed). */
unsigned long vh_random(void);
unsigned long vh_seed(void);
extern int vh_verbose;

#endif /* _VH_HARNESS_H */
