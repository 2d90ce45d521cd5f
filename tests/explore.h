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

enum xp_writer {
	XP_WRITER_LOCK,		/* vma_start_write(), change, mmap_write_unlock() */
	XP_WRITER_DOWNGRADE,	/* ... mmap_write_downgrade(), then read-lock it */
	XP_WRITER_RELOCK,	/* LOCK twice */
	XP_WRITER_UNMAP,	/* munmap() of the range */
	XP_WRITER_PROTECT,	/* mprotect() of the range */
	XP_WRITER_MAP,		/* mmap() of the (empty) range */
	XP_WRITER_REPLACE,	/* munmap() and mmap() of the range, one lock section */
	XP_WRITER_RECYCLE,	/* munmap(), then mmap() the range in another mm */
};

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
	enum xp_writer writer;
	const char *range;	/* the writer's pages, '*' (LOCK...: its VMA) */
	vm_flags_t flags;	/* MAP, REPLACE, RECYCLE: VH_RW or VH_RO */
	vm_flags_t prot;	/* PROTECT: VH_PROT_RW or VH_PROT_RO */
	bool always_mapped;	/* read_at is mapped at every instant */
	const char *after;	/* the address space at the end */
};

/* The scenario's ops (explore.c). */
extern const struct vh_explore_ops xp_ops;

#endif /* _VH_TESTS_EXPLORE_H */
