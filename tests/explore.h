/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reader-against-writer scenario of the explorer tables (explore.c
 * runs it; explore_unlocked.c has rows of it for the series' reader).
 */
#ifndef _VH_TESTS_EXPLORE_H
#define _VH_TESTS_EXPLORE_H

#include "../shared/kunit/test.h"
#include "../shared/explore/explore.h"
#include "../shared/vma/vma.h"

enum xp_reader {
	XP_READER_LOOKUP,	/* lock_vma_under_rcu() */
	XP_READER_NEXT,		/* lock_next_vma() over the whole address space */
	XP_READER_UNLOCKED,	/* vma_start_read_unlocked() */
};

struct xp_ctx;

/*
 * What the writer thread does (explore.c defines them): @run is the whole
 * of it, mmap_lock taken and released; the flags say what the scenario
 * must know of it.
 */
struct xp_writer {
	void (*run)(struct xp_ctx *c);
	bool unmaps;		/* the range is unmapped for good */
	bool grace_period;	/* synchronize_rcu() after it: what it freed is poisoned */
	bool needs_vma;		/* it works on the VMA at the range */
	bool other_mm;		/* it maps into a second address space */
};

extern const struct xp_writer xp_lock;		/* vma_start_write(), change, unlock */
extern const struct xp_writer xp_downgrade;	/* ... mmap_write_downgrade(), read-lock it */
extern const struct xp_writer xp_relock;	/* xp_lock twice */
extern const struct xp_writer xp_unmap;		/* munmap() of the range */
extern const struct xp_writer xp_protect;	/* mprotect() of the range */
extern const struct xp_writer xp_map;		/* mmap() of the (empty) range */
extern const struct xp_writer xp_replace;	/* munmap() and mmap(), one lock section */
extern const struct xp_writer xp_recycle;	/* munmap(), then mmap() in another mm */

/*
 * Layouts are pictures (shared/vma/vma.h): a character per page from
 * VH_BASE, a letter per VMA, upper case read-write, lower case read-only,
 * '-' unmapped.  The reader's page is marked '^', the writer's range '*',
 * each under the layout it refers to.
 */
struct xp_row {
	const char *desc;
	const char *why;
	const char *before;	/* the address space at the start */
	enum xp_reader reader;
	int readers;		/* 1 or 2 reader threads */
	const char *read_at;	/* XP_READER_LOOKUP, _UNLOCKED: the page, '^' */
	const struct xp_writer *writer;
	const char *range;	/* the writer's pages, '*' (LOCK...: its VMA) */
	vm_flags_t flags;	/* MAP, REPLACE, RECYCLE: VH_RW or VH_RO */
	vm_flags_t prot;	/* PROTECT: VH_PROT_RW or VH_PROT_RO */
	bool always_mapped;	/* read_at is mapped at every instant */
	const char *after;	/* the address space at the end */
};

/* The scenario's ops (explore.c). */
extern const struct vh_explore_ops xp_ops;

#endif /* _VH_TESTS_EXPLORE_H */
