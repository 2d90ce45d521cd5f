/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a test file uses: tables, assertions, threads and handshakes.
 *
 * A table is a const array of rows, each with a `desc` string, and one body
 * that runs a row.  VH_TABLE() registers every row as its own KTAP test,
 * named "<table>.<desc>", and states in one line the kernel rule the table
 * checks (printed with -v and --list).  Adding a case is adding a row.
 * Rows use designated initialisers (fields left out are zero), enum
 * constants carry the table's prefix, and a row may say in one line why it
 * expects what it expects (.why: the runner prints it with -v and after a
 * failure).  What the body sets
 * up it hands to vh_defer() (or gets from helpers that do, such as
 * vh_test_mm()), so that an assertion ending the body early leaks nothing.
 *
 *	enum at_op { AT_OP_ATTACH, AT_OP_DETACH };
 *	struct at_row { const char *desc, *why; enum at_op op; bool warn; };
 *	static const struct at_row at_rows[] = {
 *		{ .desc = "attach_twice_warns", .op = AT_OP_ATTACH,
 *		  .warn = true, .why = "vma_assert_detached() fails" },
 *	};
 *	static void at_body(const struct at_row *row)
 *	{
 *		struct mm_struct *mm = vh_test_mm();
 *
 *		VH_ASSERT_EQ(vh_map_layout(mm, "AAAA"), 0);
 *		...
 *	}
 *	VH_TABLE(attach, "vma_mark_attached() needs the VMA write lock",
 *		 at_rows, at_body);
 *
 * Which file takes which kind of row (one table per file in tests/,
 * named after its table; the Makefile builds every .c file there):
 *
 *  - an operation of mm/vma.c, or of one of its callers (fork, mremap,
 *    the fault path, /proc/PID/maps, userfaultfd), under a lockless
 *    reader: a struct vh_ur_row of shared/vma/under_reader.h, run by its
 *    engine.  Anonymous VMAs: write_path.c; files and anon_vmas:
 *    file_map.c; the series' vma_start_read_unlocked() reader:
 *    write_path_unlocked.c; a caller's operations: its own table, with
 *    its op (a struct vh_op callback) next to its rows;
 *  - one interleaving of a reader and a writer explored schedule by
 *    schedule: explore.c (shared/explore/explore.h);
 *  - the lock core itself (attach, write locking, reader exclusion,
 *    lookup, recycling, sequence wrap, flags, allocation, -ENOMEM): the
 *    table of that name, its own row type and body.
 */
#ifndef _VH_TEST_H
#define _VH_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "../env/report.h"

/*
 * Expected warnings.  A test that provokes a WARN on purpose brackets the
 * call with vh_expect_warn_begin(what)/vh_expect_warn_end(): a report in
 * between whose text contains @what (the kernel's condition, e.g.
 * "!__is_vma_write_locked(vma)", or its message; alternatives separated by
 * '|') is counted instead of failing the test; any other report still
 * fails it.  Brackets nest (up to 8 deep): a report is counted by the
 * innermost one that expects it.  vh_expect_warn_end() closes the
 * innermost bracket and returns how many reports it counted; if @what was
 * not NULL and none came, the test fails there ("expected a warning ...
 * that did not come").  vh_expect_warn_begin(NULL) expects nothing (a row
 * that may or may not warn says so with NULL).  vh_expect_warn_maybe(what)
 * opens a bracket that counts the reports naming @what but does not fail
 * when none came (a known kernel warning that an input may or may not
 * provoke: the fuzz target's fz_known[]).
 */
void vh_expect_warn_begin(const char *what);
void vh_expect_warn_maybe(const char *what);
int vh_expect_warn_end_at(const char *file, int line);
#define vh_expect_warn_end()	vh_expect_warn_end_at(__FILE__, __LINE__)

/* Random numbers from the run's seed (--seed). */
unsigned long vh_random(void);
unsigned long vh_seed(void);

typedef void (*vh_body_t)(const void *row);

void vh_register_table(const char *file, const char *name, const char *rule,
		       const void *rows, size_t nr_rows, size_t row_size,
		       size_t desc_offset, size_t why_offset, vh_body_t body,
		       const char *skip);
/* why_offset of a table whose rows have no .why */
#define VH_NO_WHY	((size_t)-1)

/**
 * VH_TABLE_SKIP() - register a table of test rows
 * @_name:	the table's name; its rows become tests "<_name>.<desc>"
 * @_rule:	the kernel rule the table checks, in one line
 * @_rows:	a const array of rows, each with a `const char *desc` (its
 *		test's name) and a `const char *why` (NULL, or one line the
 *		runner prints with -v and after a failure)
 * @_body:	void _body(const struct row *row), run once for each row
 * @_skip:	NULL, or why every row is skipped on this tree
 *
 * The body is called through a typed trampoline, never through a cast
 * function pointer.
 */
#define VH_TABLE_SKIP(_name, _rule, _rows, _body, _skip)		\
static void vh_trampoline_##_name(const void *row)			\
{									\
	_body((const __typeof__((_rows)[0]) *)row);			\
}									\
static void __attribute__((constructor)) vh_register_##_name(void)	\
{									\
	vh_register_table(__FILE__, #_name, _rule, _rows,			\
			  sizeof(_rows) / sizeof((_rows)[0]),		\
			  sizeof((_rows)[0]),				\
			  offsetof(__typeof__((_rows)[0]), desc),	\
			  offsetof(__typeof__((_rows)[0]), why),	\
			  vh_trampoline_##_name, _skip);		\
}
/** VH_TABLE() - register a table of test rows that runs on every tree */
#define VH_TABLE(_name, _rule, _rows, _body)				\
	VH_TABLE_SKIP(_name, _rule, _rows, _body, NULL)

/**
 * vh_config_has() - is CONFIG_@sym set in this build (configs/NAME)?
 * @sym:	"LOCKDEP", "DEBUG_VM", ... (the CONFIG_ prefix is optional)
 *
 * The runtime IS_ENABLED() of the test API (shared/env/config.c).
 */
bool vh_config_has(const char *sym);
void vh_register_need(const char *glob, const char *sym);

/**
 * VH_NEEDS_CONFIG() - the tests matching @_glob need CONFIG_@_sym
 * @_id:	a name for the declaration, unique in its file
 * @_glob:	test names ("table.desc", fnmatch() patterns)
 * @_sym:	the symbol, without CONFIG_ ("DEBUG_VM")
 *
 * In a configuration without it they are skipped, with that reason; every
 * other test runs.  Use it for a test that checks a facility of a debug
 * kernel (a VM_WARN_ON*() that DEBUG_VM compiles, lockdep's record).
 */
#define VH_NEEDS_CONFIG(_id, _glob, _sym)				\
static void __attribute__((constructor)) vh_need_##_id(void)		\
{									\
	vh_register_need(_glob, _sym);					\
}

/**
 * vh_defer() - run @fn(@arg) when the running test ends
 * @fn:		the clean-up action
 * @arg:	its argument
 *
 * As KUnit's kunit_add_action(): actions run in reverse order of
 * registration once the test's body has returned, whether it passed or an
 * assertion ended it early, on the test's own task.
 */
void vh_defer(void (*fn)(void *arg), void *arg);

/**
 * vh_test_alloc() - zeroed memory that lives until the running test ends
 * @size:	bytes
 *
 * As KUnit's kunit_kzalloc(): freed by a vh_defer() action, so state that
 * deferred clean-up reads (threads to join, locks to drop) belongs here,
 * never on the body's stack, which is gone when the actions run.
 *
 * Return: the memory (the program aborts if there is none).
 */
void *vh_test_alloc(size_t size);

/**
 * vh_why() - say why the running row expects what it expects
 * @why:	one line (a string constant), or NULL
 *
 * Printed as a diagnostic when the test ends, if it failed or with -v.
 * The runner does this itself for a row's .why; a body calls it only for
 * another reason it learns as it runs (kept, too, for the first API).
 */
void vh_why(const char *why);

/*
 * Failures.  Modelled on KUnit's assertions and expectations:
 *
 *  - VH_EXPECT_*() report a broken expectation and let the test go on
 *    (KUNIT_EXPECT_*(); what VH_CHECK*() used to be);
 *  - VH_ASSERT_*() report it and end the test at once, from whatever
 *    function it fails in, however deep (KUNIT_ASSERT_*()): the harness
 *    thread that fails unwinds to where it started (a test body to the
 *    runner, a thread started with vh_thread_start() to its end, as if its
 *    function had returned), by siglongjmp(), which ASan and Valgrind
 *    follow.  Locks and RCU read-side sections the task still holds by the
 *    kernel environment's record are reported and released, as at a
 *    task's exit, and the test's vh_defer() actions run as after a return.
 *    A helper may therefore assert and return a value: no caller asserts
 *    again.  Frames between the failure and the landing are not unwound:
 *    what they own must be handed to vh_defer() (or vh_test_alloc()).
 *  - VH_FAIL(fmt, ...) reports a failure in words and goes on
 *    (KUNIT_FAIL()).
 *
 * Typed forms take integers of any type: the comparison is the
 * mathematical one (a negative int is less than any unsigned), and each
 * side is printed as its type says (unsigned as unsigned, large values in
 * hex).  Pointers have _PTR_ forms, strings _STR_ forms (NULL-safe).
 * Every form has a _MSG variant taking a printf format for one more line.
 *
 *	VH_ASSERT_EQ(vh_map_layout(mm, "AAAA"), 0);
 *	VH_EXPECT_PTR_EQ_MSG(got, vma, "page %lu", pg);
 */
void vh_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool vh_test_failed(void);
/**
 * vh_end_test() - end the calling harness thread's part of the test now
 *
 * What VH_ASSERT_*() calls after reporting; the failure must have been
 * reported already (vh_fail()).  Outside a harness thread (a mode's own
 * main thread) it ends the calling thread.
 */
void vh_end_test(void) __attribute__((noreturn));

/* The test running now ("table.desc"), or NULL between tests. */
const char *vh_current_test(void);
/*
 * A table of a room above the runner: @list is printed by --list -v,
 * @after after a run with -v or --sites (shared/vma/sites.c).
 */
void vh_register_summary(void (*list)(void), void (*after)(void));

/* One integer operand of a typed assertion, with its signedness. */
struct vh_int {
	unsigned long long v;
	bool is_signed;
};
#define VH__SIGNED(x)	((__typeof__((x) + 0))-1 < (__typeof__((x) + 0))1)
#define VH__INT(x)	((struct vh_int){ .v = (unsigned long long)(x),	\
					  .is_signed = VH__SIGNED(x) })
enum vh_cmp { VH_CMP_EQ, VH_CMP_NE, VH_CMP_LT, VH_CMP_LE, VH_CMP_GT,
	      VH_CMP_GE };
bool vh_int_holds(struct vh_int a, enum vh_cmp op, struct vh_int b);
bool vh_str_holds(const char *a, enum vh_cmp op, const char *b);
void vh_fail_int(const char *file, int line, const char *sa, enum vh_cmp op,
		 const char *sb, struct vh_int a, struct vh_int b,
		 const char *fmt, ...) __attribute__((format(printf, 8, 9)));
void vh_fail_ptr(const char *file, int line, const char *sa, enum vh_cmp op,
		 const char *sb, const void *a, const void *b,
		 const char *fmt, ...) __attribute__((format(printf, 8, 9)));
void vh_fail_str(const char *file, int line, const char *sa, enum vh_cmp op,
		 const char *sb, const char *a, const char *b,
		 const char *fmt, ...) __attribute__((format(printf, 8, 9)));
void vh_fail_cond(const char *file, int line, const char *cond,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* What ends the test after a failed assertion, and after an expectation. */
#define VH__ASSERTION	vh_end_test()
#define VH__EXPECTATION	((void)0)

#define VH__COND(end, ok, cond, fmt, ...) do {				\
	if (!(ok)) {							\
		vh_fail_cond(__FILE__, __LINE__, cond, fmt, ##__VA_ARGS__); \
		end;							\
	}								\
} while (0)
#define VH__INT_CMP(end, a, op, b, fmt, ...) do {			\
	const struct vh_int __vh_a = VH__INT(a), __vh_b = VH__INT(b);	\
									\
	if (!vh_int_holds(__vh_a, op, __vh_b)) {			\
		vh_fail_int(__FILE__, __LINE__, #a, op, #b, __vh_a,	\
			    __vh_b, fmt, ##__VA_ARGS__);		\
		end;							\
	}								\
} while (0)
#define VH__PTR_CMP(end, a, op, b, fmt, ...) do {			\
	const void *__vh_a = (a), *__vh_b = (b);			\
									\
	if ((op == VH_CMP_EQ) != (__vh_a == __vh_b)) {			\
		vh_fail_ptr(__FILE__, __LINE__, #a, op, #b, __vh_a,	\
			    __vh_b, fmt, ##__VA_ARGS__);		\
		end;							\
	}								\
} while (0)
#define VH__STR_CMP(end, a, op, b, fmt, ...) do {			\
	const char *__vh_a = (a), *__vh_b = (b);			\
									\
	if (!vh_str_holds(__vh_a, op, __vh_b)) {			\
		vh_fail_str(__FILE__, __LINE__, #a, op, #b, __vh_a,	\
			    __vh_b, fmt, ##__VA_ARGS__);		\
		end;							\
	}								\
} while (0)

/* KUNIT_FAIL(): a failure in words; the test goes on. */
#define VH_FAIL(fmt, ...)	vh_fail(__FILE__, __LINE__, fmt, ##__VA_ARGS__)

/*
 * Every check in both kinds, VH_ASSERT_x() and VH_EXPECT_x(), and their
 * _MSG variants (without one, no extra line).
 */
#define VH_ASSERT_TRUE(c)	VH__COND(VH__ASSERTION, c, #c, NULL)
#define VH_ASSERT_FALSE(c)	VH__COND(VH__ASSERTION, !(c), "!(" #c ")", NULL)
#define VH_ASSERT_EQ(a, b)	VH__INT_CMP(VH__ASSERTION, a, VH_CMP_EQ, b, NULL)
#define VH_ASSERT_NE(a, b)	VH__INT_CMP(VH__ASSERTION, a, VH_CMP_NE, b, NULL)
#define VH_ASSERT_LT(a, b)	VH__INT_CMP(VH__ASSERTION, a, VH_CMP_LT, b, NULL)
#define VH_ASSERT_LE(a, b)	VH__INT_CMP(VH__ASSERTION, a, VH_CMP_LE, b, NULL)
#define VH_ASSERT_GT(a, b)	VH__INT_CMP(VH__ASSERTION, a, VH_CMP_GT, b, NULL)
#define VH_ASSERT_GE(a, b)	VH__INT_CMP(VH__ASSERTION, a, VH_CMP_GE, b, NULL)
#define VH_ASSERT_PTR_EQ(a, b)	VH__PTR_CMP(VH__ASSERTION, a, VH_CMP_EQ, b, NULL)
#define VH_ASSERT_PTR_NE(a, b)	VH__PTR_CMP(VH__ASSERTION, a, VH_CMP_NE, b, NULL)
#define VH_ASSERT_NULL(p)	VH_ASSERT_PTR_EQ(p, NULL)
#define VH_ASSERT_NOT_NULL(p)	VH_ASSERT_PTR_NE(p, NULL)
#define VH_ASSERT_STR_EQ(a, b)	VH__STR_CMP(VH__ASSERTION, a, VH_CMP_EQ, b, NULL)
#define VH_ASSERT_STR_NE(a, b)	VH__STR_CMP(VH__ASSERTION, a, VH_CMP_NE, b, NULL)

#define VH_ASSERT_TRUE_MSG(c, ...)	VH__COND(VH__ASSERTION, c, #c, __VA_ARGS__)
#define VH_ASSERT_FALSE_MSG(c, ...)	VH__COND(VH__ASSERTION, !(c), "!(" #c ")", __VA_ARGS__)
#define VH_ASSERT_EQ_MSG(a, b, ...)	VH__INT_CMP(VH__ASSERTION, a, VH_CMP_EQ, b, __VA_ARGS__)
#define VH_ASSERT_NE_MSG(a, b, ...)	VH__INT_CMP(VH__ASSERTION, a, VH_CMP_NE, b, __VA_ARGS__)
#define VH_ASSERT_LT_MSG(a, b, ...)	VH__INT_CMP(VH__ASSERTION, a, VH_CMP_LT, b, __VA_ARGS__)
#define VH_ASSERT_LE_MSG(a, b, ...)	VH__INT_CMP(VH__ASSERTION, a, VH_CMP_LE, b, __VA_ARGS__)
#define VH_ASSERT_GT_MSG(a, b, ...)	VH__INT_CMP(VH__ASSERTION, a, VH_CMP_GT, b, __VA_ARGS__)
#define VH_ASSERT_GE_MSG(a, b, ...)	VH__INT_CMP(VH__ASSERTION, a, VH_CMP_GE, b, __VA_ARGS__)
#define VH_ASSERT_PTR_EQ_MSG(a, b, ...)	VH__PTR_CMP(VH__ASSERTION, a, VH_CMP_EQ, b, __VA_ARGS__)
#define VH_ASSERT_PTR_NE_MSG(a, b, ...)	VH__PTR_CMP(VH__ASSERTION, a, VH_CMP_NE, b, __VA_ARGS__)
#define VH_ASSERT_NULL_MSG(p, ...)	VH_ASSERT_PTR_EQ_MSG(p, NULL, __VA_ARGS__)
#define VH_ASSERT_NOT_NULL_MSG(p, ...)	VH_ASSERT_PTR_NE_MSG(p, NULL, __VA_ARGS__)
#define VH_ASSERT_STR_EQ_MSG(a, b, ...)	VH__STR_CMP(VH__ASSERTION, a, VH_CMP_EQ, b, __VA_ARGS__)
#define VH_ASSERT_STR_NE_MSG(a, b, ...)	VH__STR_CMP(VH__ASSERTION, a, VH_CMP_NE, b, __VA_ARGS__)

#define VH_EXPECT_TRUE(c)	VH__COND(VH__EXPECTATION, c, #c, NULL)
#define VH_EXPECT_FALSE(c)	VH__COND(VH__EXPECTATION, !(c), "!(" #c ")", NULL)
#define VH_EXPECT_EQ(a, b)	VH__INT_CMP(VH__EXPECTATION, a, VH_CMP_EQ, b, NULL)
#define VH_EXPECT_NE(a, b)	VH__INT_CMP(VH__EXPECTATION, a, VH_CMP_NE, b, NULL)
#define VH_EXPECT_LT(a, b)	VH__INT_CMP(VH__EXPECTATION, a, VH_CMP_LT, b, NULL)
#define VH_EXPECT_LE(a, b)	VH__INT_CMP(VH__EXPECTATION, a, VH_CMP_LE, b, NULL)
#define VH_EXPECT_GT(a, b)	VH__INT_CMP(VH__EXPECTATION, a, VH_CMP_GT, b, NULL)
#define VH_EXPECT_GE(a, b)	VH__INT_CMP(VH__EXPECTATION, a, VH_CMP_GE, b, NULL)
#define VH_EXPECT_PTR_EQ(a, b)	VH__PTR_CMP(VH__EXPECTATION, a, VH_CMP_EQ, b, NULL)
#define VH_EXPECT_PTR_NE(a, b)	VH__PTR_CMP(VH__EXPECTATION, a, VH_CMP_NE, b, NULL)
#define VH_EXPECT_NULL(p)	VH_EXPECT_PTR_EQ(p, NULL)
#define VH_EXPECT_NOT_NULL(p)	VH_EXPECT_PTR_NE(p, NULL)
#define VH_EXPECT_STR_EQ(a, b)	VH__STR_CMP(VH__EXPECTATION, a, VH_CMP_EQ, b, NULL)
#define VH_EXPECT_STR_NE(a, b)	VH__STR_CMP(VH__EXPECTATION, a, VH_CMP_NE, b, NULL)

#define VH_EXPECT_TRUE_MSG(c, ...)	VH__COND(VH__EXPECTATION, c, #c, __VA_ARGS__)
#define VH_EXPECT_FALSE_MSG(c, ...)	VH__COND(VH__EXPECTATION, !(c), "!(" #c ")", __VA_ARGS__)
#define VH_EXPECT_EQ_MSG(a, b, ...)	VH__INT_CMP(VH__EXPECTATION, a, VH_CMP_EQ, b, __VA_ARGS__)
#define VH_EXPECT_NE_MSG(a, b, ...)	VH__INT_CMP(VH__EXPECTATION, a, VH_CMP_NE, b, __VA_ARGS__)
#define VH_EXPECT_LT_MSG(a, b, ...)	VH__INT_CMP(VH__EXPECTATION, a, VH_CMP_LT, b, __VA_ARGS__)
#define VH_EXPECT_LE_MSG(a, b, ...)	VH__INT_CMP(VH__EXPECTATION, a, VH_CMP_LE, b, __VA_ARGS__)
#define VH_EXPECT_GT_MSG(a, b, ...)	VH__INT_CMP(VH__EXPECTATION, a, VH_CMP_GT, b, __VA_ARGS__)
#define VH_EXPECT_GE_MSG(a, b, ...)	VH__INT_CMP(VH__EXPECTATION, a, VH_CMP_GE, b, __VA_ARGS__)
#define VH_EXPECT_PTR_EQ_MSG(a, b, ...)	VH__PTR_CMP(VH__EXPECTATION, a, VH_CMP_EQ, b, __VA_ARGS__)
#define VH_EXPECT_PTR_NE_MSG(a, b, ...)	VH__PTR_CMP(VH__EXPECTATION, a, VH_CMP_NE, b, __VA_ARGS__)
#define VH_EXPECT_NULL_MSG(p, ...)	VH_EXPECT_PTR_EQ_MSG(p, NULL, __VA_ARGS__)
#define VH_EXPECT_NOT_NULL_MSG(p, ...)	VH_EXPECT_PTR_NE_MSG(p, NULL, __VA_ARGS__)
#define VH_EXPECT_STR_EQ_MSG(a, b, ...)	VH__STR_CMP(VH__EXPECTATION, a, VH_CMP_EQ, b, __VA_ARGS__)
#define VH_EXPECT_STR_NE_MSG(a, b, ...)	VH__STR_CMP(VH__EXPECTATION, a, VH_CMP_NE, b, __VA_ARGS__)

/*
 * The names of the first API, kept as thin aliases so that tests written
 * against it (other branches' new files) build unchanged: VH_ASSERT() is
 * VH_ASSERT_TRUE() (it ends the test at any depth now, where it used to
 * return from the caller), VH_CHECK*() are VH_EXPECT*().  New code uses
 * the names above.
 */
#define VH_ASSERT(c)		VH_ASSERT_TRUE(c)
#define VH_CHECK(c)		VH_EXPECT_TRUE(c)
#define VH_CHECK_EQ(a, b)	VH_EXPECT_EQ(a, b)

/*
 * Flags between the threads of a test: set with release, read with
 * acquire, so that what the setter wrote before is visible to a reader
 * that sees the flag (one ordering for every test-side flag; counters a
 * single thread changes use vh_flag_set() with their new value).
 */
static inline void vh_flag_set(int *flag, int value)
{
	__atomic_store_n(flag, value, __ATOMIC_RELEASE);
}

static inline int vh_flag(const int *flag)
{
	return __atomic_load_n(flag, __ATOMIC_ACQUIRE);
}

/*
 * Threads.  A harness thread has its own task (current), is registered with
 * liburcu, and is joined by vh_thread_join().
 */
struct vh_thread;
struct task_struct;
struct vh_thread *vh_thread_start(void (*fn)(void *arg), void *arg);
void vh_thread_join(struct vh_thread *t);
struct task_struct *vh_thread_task(struct vh_thread *t);

/*
 * Wait until a task has really gone to sleep in schedule() (it is off the
 * CPU, as the kernel would say).  This is a state check, not a timed sleep:
 * it polls the task's sleep count and state.  Returns false after the
 * watchdog budget, which the caller turns into a failure.
 */
bool vh_wait_until_sleeping(struct task_struct *t, unsigned long nr_sleeps);
/* The same, but gives up (false) as soon as *@done is set. */
bool vh_wait_blocked(struct task_struct *t, unsigned long nr_sleeps,
		     const int *done);

/* A one-shot event for handshakes between test threads. */
struct vh_event {
	int done;
};
void vh_event_signal(struct vh_event *e);
void vh_event_wait(struct vh_event *e);

/*
 * Breakpoints: stop the calling thread right before its next atomic,
 * refcount, lock or RCU operation on @addr (after letting @skip of them
 * pass), so that the test can act in that window, then let it go on.
 * Arm in the thread that will stop; wait and resume from another.
 */
struct vh_break {
	const volatile void *addr;	/* NULL: RCU's scheduling points */
	int skip;
	struct vh_event hit;
	struct vh_event resume;
	/* vh_break_resume_then() */
	bool then;
	const volatile void *then_addr;
	int then_skip;
};
void vh_break_arm(struct vh_break *b, const volatile void *addr, int skip);
void vh_break_disarm(void);
#define vh_break_wait(b)	vh_event_wait(&(b)->hit)
#define vh_break_resume(b)	vh_event_signal(&(b)->resume)
/* Let it go on, to stop again before its next operation on @addr (+@skip). */
void vh_break_resume_then(struct vh_break *b, const volatile void *addr,
			  int skip);

#endif /* _VH_TEST_H */
