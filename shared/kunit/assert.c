// SPDX-License-Identifier: GPL-2.0
/*
 * Assertions at any depth (test.h): the typed comparisons, their reports,
 * and the landing points a failed assertion unwinds to.
 *
 * Each harness thread, and the runner around each test body and each
 * deferred action, sets a landing point with vh_catch(); vh_end_test()
 * jumps to the innermost one of the calling thread.  siglongjmp() is used
 * rather than pthread_exit(): the pool keeps its pthread (no new thread
 * per failure), ASan unpoisons the stack it leaves (its longjmp
 * interceptor) and Valgrind follows it; the frames it skips are test code,
 * whose state lives in vh_defer() actions and vh_test_alloc() memory.
 */
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "../env/report.h"
#include "test.h"
#include "mode.h"

struct vh_catch {
	sigjmp_buf env;
	struct vh_catch *outer;
};

static __thread struct vh_catch *vh_catch_top;

bool vh_catch(void (*fn)(void *arg), void *arg)
{
	struct vh_catch c = { .outer = vh_catch_top };

	vh_catch_top = &c;
	if (sigsetjmp(c.env, 0)) {
		vh_catch_top = c.outer;
		return false;
	}
	fn(arg);
	vh_catch_top = c.outer;
	return true;
}

void vh_end_test(void)
{
	if (vh_catch_top)
		siglongjmp(vh_catch_top->env, 1);
	vh_thread_exit_current();
}

/* The mathematical comparison of two integers of any types. */
static int vh_int_cmp(struct vh_int a, struct vh_int b)
{
	bool an = a.is_signed && (long long)a.v < 0;
	bool bn = b.is_signed && (long long)b.v < 0;

	if (an != bn)
		return an ? -1 : 1;
	if (an)
		return (long long)a.v < (long long)b.v ? -1 :
		       (long long)a.v > (long long)b.v;
	return a.v < b.v ? -1 : a.v > b.v;
}

static bool vh_cmp_holds(int c, enum vh_cmp op)
{
	switch (op) {
	case VH_CMP_EQ:
		return !c;
	case VH_CMP_NE:
		return c;
	case VH_CMP_LT:
		return c < 0;
	case VH_CMP_LE:
		return c <= 0;
	case VH_CMP_GT:
		return c > 0;
	case VH_CMP_GE:
		return c >= 0;
	}
	return false;
}

bool vh_int_holds(struct vh_int a, enum vh_cmp op, struct vh_int b)
{
	return vh_cmp_holds(vh_int_cmp(a, b), op);
}

bool vh_str_holds(const char *a, enum vh_cmp op, const char *b)
{
	bool same = a == b || (a && b && !strcmp(a, b));

	return op == VH_CMP_EQ ? same : !same;
}

static const char *const vh_cmp_op[] = {
	[VH_CMP_EQ] = "==", [VH_CMP_NE] = "!=", [VH_CMP_LT] = "<",
	[VH_CMP_LE] = "<=", [VH_CMP_GT] = ">", [VH_CMP_GE] = ">=",
};

/* As its type says; in hex from 0x10000 on (addresses, flags, counts). */
static void vh_int_print(char *buf, size_t size, struct vh_int x)
{
	if (x.is_signed && (long long)x.v < 0)
		snprintf(buf, size, "%lld", (long long)x.v);
	else if (x.v >= 0x10000)
		snprintf(buf, size, "%#llx", x.v);
	else
		snprintf(buf, size, "%llu", x.v);
}

/* "what" and, if @fmt says more than "", ": more". */
static void vh_fail_with(const char *file, int line, const char *what,
			 const char *fmt, va_list ap)
{
	char more[512];

	if (!fmt || !*fmt) {
		vh_fail(file, line, "%s", what);
		return;
	}
	vsnprintf(more, sizeof(more), fmt, ap);
	vh_fail(file, line, "%s: %s", what, more);
}

void vh_fail_cond(const char *file, int line, const char *cond,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vh_fail_with(file, line, cond, fmt, ap);
	va_end(ap);
}

void vh_fail_int(const char *file, int line, const char *sa, enum vh_cmp op,
		 const char *sb, struct vh_int a, struct vh_int b,
		 const char *fmt, ...)
{
	char what[512], va[32], vb[32];
	va_list ap;

	vh_int_print(va, sizeof(va), a);
	vh_int_print(vb, sizeof(vb), b);
	/* "a == b (1 != 2)": the operands' values, in that order. */
	snprintf(what, sizeof(what), "%s %s %s (%s %s %s)", sa, vh_cmp_op[op],
		 sb, va, op == VH_CMP_EQ ? "!=" : "vs", vb);
	va_start(ap, fmt);
	vh_fail_with(file, line, what, fmt, ap);
	va_end(ap);
}

void vh_fail_ptr(const char *file, int line, const char *sa, enum vh_cmp op,
		 const char *sb, const void *a, const void *b,
		 const char *fmt, ...)
{
	char what[512];
	va_list ap;

	snprintf(what, sizeof(what), "%s %s %s (%p %s %p)", sa, vh_cmp_op[op],
		 sb, a, op == VH_CMP_EQ ? "!=" : "vs", b);
	va_start(ap, fmt);
	vh_fail_with(file, line, what, fmt, ap);
	va_end(ap);
}

void vh_fail_str(const char *file, int line, const char *sa, enum vh_cmp op,
		 const char *sb, const char *a, const char *b,
		 const char *fmt, ...)
{
	char what[768];
	va_list ap;

	snprintf(what, sizeof(what), "%s %s %s (\"%s\" %s \"%s\")", sa,
		 vh_cmp_op[op], sb, a ?: "(null)",
		 op == VH_CMP_EQ ? "!=" : "vs", b ?: "(null)");
	va_start(ap, fmt);
	vh_fail_with(file, line, what, fmt, ap);
	va_end(ap);
}
