/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run modes: what ./vma does instead of the test run (--explore, --torture,
 * --bench), and the parts of the runner a mode builds on.  A mode registers
 * itself with VH_MODE(); the runner knows modes only through that table.
 */
#ifndef _VH_MODE_H
#define _VH_MODE_H

#include <stdbool.h>
#include <getopt.h>

/**
 * struct vh_mode - a run mode of ./vma
 * @name:	the long option that selects the mode (--@name)
 * @usage:	its lines of ./vma --help, each ending in a newline
 * @options:	further long options of the mode, ending with { }, or NULL;
 *		their getopt values must not clash with the runner's or
 *		another mode's (the runner checks)
 * @option:	parses the value of one of @options; prints one line and
 *		returns -1 when it is bad
 * @run:	runs the mode on the remaining command-line arguments (after
 *		vh_env_init()) and returns the exit status
 */
struct vh_mode {
	const char *name;
	const char *usage;
	const struct option *options;
	int (*option)(int c, const char *arg);
	int (*run)(char **args, int nr_args);
};

void vh_register_mode(const struct vh_mode *mode);

/** VH_MODE() - register @_mode (a struct vh_mode) with the runner */
#define VH_MODE(_mode)							\
static void __attribute__((constructor)) vh_register_mode_##_mode(void)	\
{									\
	vh_register_mode(&(_mode));					\
}

/**
 * struct vh_run_opts - options of the runner that modes read
 * @threads:	--threads (default 4)
 * @seconds:	--seconds (default 10)
 * @seconds_set: --seconds was given
 * @timeout_s:	--timeout, the per-test (and per-run) watchdog in seconds
 * @tree:	the kernel tree and its version, for the KTAP header
 */
struct vh_run_opts {
	unsigned long threads;
	unsigned long seconds;
	bool seconds_set;
	unsigned int timeout_s;
	const char *tree;
};
extern struct vh_run_opts vh_opts;

/* The runner hands the running row's .why to resource.c. */
void vh_why_row(const char *why);
/* Forget the failures of the previous test (a mode running many). */
void vh_test_reset(void);
/* Call @fn in the failing thread whenever a failure is reported. */
void vh_on_failure(void (*fn)(void));
/*
 * Threads of a failed run were abandoned (unwound, their state not freed):
 * the program must end with _exit(), not through LeakSanitizer.
 */
void vh_abandon(void);
bool vh_abandoned(void);

/* Threads a mode runs itself (shared/kunit/thread.c). */
struct vh_thread;
struct vh_thread *vh_thread_start_notify(void (*fn)(void *arg), void *arg,
					 void (*done)(void));
void vh_thread_exit_current(void) __attribute__((noreturn));
/*
 * Run @fn(@arg) as a landing point of vh_end_test() (a failed assertion):
 * true if @fn returned, false if an assertion ended it (shared/kunit/
 * assert.c).  Harness threads and the runner's test bodies and deferred
 * actions run under one.
 */
bool vh_catch(void (*fn)(void *arg), void *arg);
void vh_thread_abandon(struct vh_thread *t);
/* End and join the idle pthreads of the thread pool (at the end of a run). */
void vh_thread_pool_drain(void);

#endif /* _VH_MODE_H */
