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
 * expects what it expects (.why, handed to vh_why()).  What the body sets
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
 *		vh_why(row->why);
 *		...
 *	}
 *	VH_TABLE(attach, "vma_mark_attached() needs the VMA write lock",
 *		 at_rows, at_body);
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
 * fails it.
 */
void vh_expect_warn_begin(const char *what);
int vh_expect_warn_end(void);

/* Random numbers from the run's seed (--seed). */
unsigned long vh_random(void);
unsigned long vh_seed(void);

typedef void (*vh_body_t)(const void *row);

void vh_register_table(const char *file, const char *name, const char *rule,
		       const void *rows, size_t nr_rows, size_t row_size,
		       size_t desc_offset, vh_body_t body, const char *skip);

/**
 * VH_TABLE_SKIP() - register a table of test rows
 * @_name:	the table's name; its rows become tests "<_name>.<desc>"
 * @_rule:	the kernel rule the table checks, in one line
 * @_rows:	a const array of rows, each with a `const char *desc`
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
 * @why:	one line (a string constant, usually the row's .why), or NULL
 *
 * Printed as a diagnostic when the test ends, if it failed or with -v.
 */
void vh_why(const char *why);

/* Failure of the running test: report and return from the body. */
void vh_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool vh_test_failed(void);

/* The test running now ("table.desc"), or NULL between tests. */
const char *vh_current_test(void);
/*
 * A table of a room above the runner: @list is printed by --list -v,
 * @after after a run with -v or --sites (shared/vma/sites.c).
 */
void vh_register_summary(void (*list)(void), void (*after)(void));

#define VH_ASSERT(cond) do {						\
	if (!(cond)) {							\
		vh_fail(__FILE__, __LINE__, "%s", #cond);		\
		return;							\
	}								\
} while (0)
#define VH_ASSERT_EQ(a, b) do {						\
	long long __a = (long long)(a), __b = (long long)(b);		\
	if (__a != __b) {						\
		vh_fail(__FILE__, __LINE__, "%s == %s (%lld != %lld)",	\
			#a, #b, __a, __b);				\
		return;							\
	}								\
} while (0)
/* Like VH_ASSERT, but keeps going (for clean-up paths). */
#define VH_CHECK(cond) do {						\
	if (!(cond))							\
		vh_fail(__FILE__, __LINE__, "%s", #cond);		\
} while (0)
#define VH_CHECK_EQ(a, b) do {						\
	long long __a = (long long)(a), __b = (long long)(b);		\
	if (__a != __b)							\
		vh_fail(__FILE__, __LINE__, "%s == %s (%lld != %lld)",	\
			#a, #b, __a, __b);				\
} while (0)

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
