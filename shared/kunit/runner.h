/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The runner's parts, and what they share: the registry of tests
 * (registry.c), the state and accounting of the running test (account.c),
 * running tests under the watchdog and the deadlock verdict, alone or in
 * worker processes (run.c), and the command line (main.c).  Not for tests.
 */
#ifndef _VH_RUNNER_H
#define _VH_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include "test.h"
#include "mode.h"

struct vh_test {
	char *name;		/* "<table>.<desc>" */
	const char *table;
	const char *file;	/* the table's source file */
	const char *desc;
	const char *rule;
	const char *why;	/* the row's .why, or NULL */
	const void *row;
	vh_body_t body;
	const char *skip;
	bool selected;
};

extern struct vh_test *vh_tests;
extern size_t vh_nr_tests;

/*
 * HANG: the watchdog fired (a livelock, or a wait the deadlock detection
 * does not see); STUCK: every task of the test is blocked for good.  Either
 * way tasks stay behind in kernel code, holding what they hold.
 */
enum vh_result { VH_PASS, VH_FAILED, VH_HANG, VH_STUCK, VH_SKIP };

/* registry.c */
bool vh_select(const char *patterns);
void vh_list_rooms(void);
#define VH_MAX_MODES	8
extern const struct vh_mode *vh_modes[VH_MAX_MODES];
extern int vh_nr_modes;
extern void (*vh_summary_list)(void);
extern void (*vh_summary_after)(void);

/* account.c */
extern unsigned long vh_run_seed;
void vh_test_begin(const char *name);
void vh_test_mark_failed(void);

/* resource.c */
void vh_deferred_reset(void);
void vh_run_deferred(void);

/* run.c */
extern bool vh_durations;
extern unsigned long vh_jobs;
enum vh_result vh_run_one(struct vh_test *t);
int vh_run_tests(bool selected, bool summary);
bool vh_parallel(bool selected);
int vh_run_parallel(void) __attribute__((noreturn));

#endif /* _VH_RUNNER_H */
