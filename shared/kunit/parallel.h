/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running jobs (the tests of a run) in worker processes, several at a time,
 * and reporting them in order (shared/kunit/parallel.c).
 *
 * Processes, not threads: the environment is global state (the slab
 * caches, liburcu, the explorer), and a job that crashes, hangs or leaves
 * tasks stuck in kernel code takes only its worker with it.  Each worker is
 * forked from the runner before any environment exists, brings its own up,
 * runs the jobs it is sent one at a time and tears the environment down at
 * the end, so that LeakSanitizer and Valgrind check each worker as they
 * checked the whole run.  A worker whose job leaves it unusable exits after
 * that job, and a fresh one takes over the remaining jobs.
 */
#ifndef _VH_PARALLEL_H
#define _VH_PARALLEL_H

#include <stdbool.h>

/**
 * struct vh_par_ops - what the runner plugs into the worker pool
 * @worker_init:	in a new worker, before its first job
 * @run:		in a worker: run job @i, its diagnostics on stdout,
 *			and return its result (>= 0)
 * @fatal:		in a worker: after this result of @run the worker
 *			cannot go on (tasks stuck, state abandoned)
 * @worker_exit:	in a worker with no job left: tear down, return the
 *			exit status
 * @stop:		in the runner, as each job ends: true to start no
 *			further job (those are then done() with -2)
 * @done:		in the runner, for every job in order: its result
 *			(-1 if its worker died during it, @why saying how;
 *			-2 if it was not run)
 *			and everything the worker printed while it ran it,
 *			one line at a time
 * @worker_ended:	in the runner: a worker ended with @status after its
 *			last job, having printed @output since then (a
 *			sanitizer's or Valgrind's report at exit)
 */
struct vh_par_ops {
	void (*worker_init)(void);
	int (*run)(int i);
	bool (*fatal)(int result);
	int (*worker_exit)(void);
	bool (*stop)(int i, int result);
	void (*done)(int i, int result, const char *output, const char *why);
	void (*worker_ended)(int status, const char *output);
};

/**
 * vh_par_run() - run jobs 0..@nr-1 in up to @jobs worker processes
 *
 * Returns 0, or the first non-zero exit status of a worker that ended
 * after its last job.
 */
int vh_par_run(int nr, int jobs, const struct vh_par_ops *ops);

#endif /* _VH_PARALLEL_H */
