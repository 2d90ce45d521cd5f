// SPDX-License-Identifier: GPL-2.0
/*
 * Reports of the environment (report.h), handed to the registered runner.
 * Without one (a constructor running early), they go to stderr, and a BUG
 * aborts.
 */
#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include "report.h"

int vh_verbose;
__thread bool vh_relaxed_lock_asserts;
__thread unsigned long vh_relaxed_lock_assert_count;

static const struct vh_report_ops *vh_report_ops;

void vh_report_register(const struct vh_report_ops *ops)
{
	vh_report_ops = ops;
}

void vh_report(const char *kind, const char *file, int line,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vh_report_ops) {
		vh_report_ops->report(kind, file, line, fmt, ap);
	} else {
		fprintf(stderr, "%s at %s:%d: ", kind, file, line);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

void vh_diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vh_report_ops) {
		vh_report_ops->diag(fmt, ap);
	} else {
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

void vh_bug(const char *file, int line, const char *cond)
{
	vh_report("BUG", file, line, "%s", cond);
	if (vh_report_ops)
		vh_report_ops->oops();
	abort();
}

bool vh_warn_expected(void)
{
	return vh_report_ops && vh_report_ops->warn_expected();
}

/* Provided by the sanitizer runtimes; absent otherwise. */
void __sanitizer_print_stack_trace(void) __attribute__((weak));

void vh_dump_stack(void)
{
	void *frames[64];
	int n;

	fflush(stdout);
	if (__sanitizer_print_stack_trace) {
		__sanitizer_print_stack_trace();
		return;
	}
	n = backtrace(frames, 64);
	backtrace_symbols_fd(frames, n, 2);
}

static void vh_splat_to(const char *text, bool stack)
{
	if (vh_report_ops) {
		vh_report_ops->splat(text, stack);
		return;
	}
	fprintf(stderr, "%s\n", text);
	if (stack)
		vh_dump_stack();
}

void vh_splat(const char *text)
{
	vh_splat_to(text, true);
}

void vh_splat_nostack(const char *text)
{
	vh_splat_to(text, false);
}
