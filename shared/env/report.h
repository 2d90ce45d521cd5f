/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the environment reports: WARN/BUG from kernel code and the stubs'
 * own checks go to whoever registered (the test runner), so that they fail
 * the running test.  Kernel code never sees this header directly; the stubs
 * under include/ do.
 */
#ifndef _VH_REPORT_H
#define _VH_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdarg.h>

/* A WARN/BUG from kernel code, or a broken rule the environment checks. */
void vh_report(const char *kind, const char *file, int line,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A diagnostic line of the running test ("    # ..."). */
void vh_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* BUG(): report, then stop the current task as an oops would. */
void vh_bug(const char *file, int line, const char *cond)
	__attribute__((noreturn));
/* Is the running test provoking warnings on purpose just now? */
bool vh_warn_expected(void);
/*
 * A kernel-style report: @text is the whole report, one line per '\n', the
 * first its headline ("BUG: ...", "WARNING: ..."); it fails the running
 * test unless expected, and the calling thread's stack follows it
 * (vh_splat_nostack(): when a sanitizer prints the stack itself).
 */
void vh_splat(const char *text);
void vh_splat_nostack(const char *text);
/* The calling thread's stack, on stderr (the kernel's dump_stack()). */
void vh_dump_stack(void);

/**
 * struct vh_report_ops - where reports go (registered by the runner)
 * @report:	 a WARN, BUG or broken rule at @file:@line
 * @diag:	 a diagnostic line
 * @warn_expected: are warnings expected now?
 * @oops:	 end the calling task after a BUG (does not return)
 * @splat:	 a kernel-style report (vh_splat()); @stack: print the stack
 */
struct vh_report_ops {
	void (*report)(const char *kind, const char *file, int line,
		       const char *fmt, va_list ap);
	void (*splat)(const char *text, bool stack);
	void (*diag)(const char *fmt, va_list ap);
	bool (*warn_expected)(void);
	void (*oops)(void);
};
void vh_report_register(const struct vh_report_ops *ops);

/*
 * Relaxed lock assertions: the upstream suite never takes mmap_lock, so
 * "mmap_lock held" assertions are counted rather than failing while this is
 * set.  Only that suite uses it, for the thread that runs one of its tests:
 * it is per thread, and each test runs in a thread of its own, so it cannot
 * outlive that test, whatever happened to it (a BUG, a watchdog timeout).
 */
extern __thread bool vh_relaxed_lock_asserts;
extern __thread unsigned long vh_relaxed_lock_assert_count;

/* -v given this many times. */
extern int vh_verbose;

#endif /* _VH_REPORT_H */
