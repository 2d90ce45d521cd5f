/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The deterministic interleaving explorer: what a scenario file and the
 * runner use.  The design is described in internal.h and at the top of
 * core.c, strategy.c and campaign.c.
 *
 * A scenario table is a const array of rows, each with a `desc` string, and
 * one set of operations that runs a row:
 *
 *	setup(ctx, row)	builds the starting state, outside the explorer
 *	main(ctx)	the scenario's main thread, run by the explorer; the
 *			threads it starts with vh_thread_start() are run by
 *			the explorer too, and it must vh_thread_join() them
 *	check(ctx)	checks the outcome, outside the explorer
 *	teardown(ctx)	frees what setup() built
 *
 * ctx is ctx_size zeroed bytes, fresh for each schedule.  Invariants are
 * checked with VH_CHECK()/VH_ASSERT() in the threads while they run and in
 * check(); any failure, WARN or BUG fails the schedule.  A schedule where
 * every live thread is blocked fails as a deadlock (a lost wake-up looks
 * like this), one that runs too long as a livelock.
 *
 * VH_EXPLORE_TABLE(name, rule, rows, ops) registers every row as a
 * scenario "<name>.<desc>" for ./vma --explore, and as a KTAP test of the
 * same name that explores the row with a small fixed budget.
 */
#ifndef _VH_EXPLORE_H
#define _VH_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>
#include "../env/sched_point.h"

struct vh_explore_ops {
	size_t ctx_size;
	void (*setup)(void *ctx, const void *row);
	void (*main)(void *ctx);
	void (*check)(void *ctx);
	void (*teardown)(void *ctx);
};

void vh_explore_register_table(const char *file, const char *name,
			       const char *rule,
			       const void *rows, size_t nr_rows,
			       size_t row_size, size_t desc_offset,
			       const struct vh_explore_ops *ops,
			       const char *skip);

#define VH_EXPLORE_TABLE_SKIP(_name, _rule, _rows, _ops, _skip)		\
static void __attribute__((constructor)) vh_register_explore_##_name(void) \
{									\
	vh_explore_register_table(__FILE__, #_name, _rule, _rows,	\
				  sizeof(_rows) / sizeof((_rows)[0]),	\
				  sizeof((_rows)[0]),			\
				  offsetof(__typeof__((_rows)[0]), desc), \
				  &(_ops), _skip);			\
}
#define VH_EXPLORE_TABLE(_name, _rule, _rows, _ops)			\
	VH_EXPLORE_TABLE_SKIP(_name, _rule, _rows, _ops, NULL)

/* An extra scheduling point, where a scenario wants one. */
#define vh_explore_point()	vh_sched_point(NULL)

#endif /* _VH_EXPLORE_H */
