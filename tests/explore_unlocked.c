// SPDX-License-Identifier: GPL-2.0
/*
 * The explorer's reader-against-writer scenario (explore.h) with
 * vma_start_read_unlocked() as the reader, on trees that have it.
 */
#include "explore.h"

static const struct xp_row xp_unlocked_rows[] = {
	{ .desc = "unlocked_vs_writer",
	  .reader = XP_READER_UNLOCKED, .readers = 1, .always_mapped = true,
	  .writer = &xp_lock,
	  .before  = "AAAAAAAA",
	  .read_at = "  ^     ",
	  .range   = "********",
	  .after   = "AAAAAAAA" },
	{ .desc = "unlocked_vs_munmap",
	  .reader = XP_READER_UNLOCKED, .readers = 1,
	  .writer = &xp_unmap,
	  .before  = "AAAAAAAA",
	  .read_at = "  ^     ",
	  .range   = "********",
	  .after   = "" },
	{ .desc = "unlocked_vs_replace",
	  .reader = XP_READER_UNLOCKED, .readers = 1, .always_mapped = true,
	  .writer = &xp_replace, .flags = VH_RW,
	  .why = "the range is mapped at every instant the reader can see: it must never get NULL",
	  .before  = "AAAAAAAA",
	  .read_at = "  ^     ",
	  .range   = "********",
	  .after   = "AAAAAAAA" },
};

VH_EXPLORE_TABLE_SKIP(explore_unlocked,
		      "mm/mmap_lock.c: under every explored schedule, vma_start_read_unlocked() returns the VMA containing the address (always, if it stays mapped), read-locked, stable until vma_end_read()",
		      xp_unlocked_rows, xp_ops, VH_UNLOCKED_SKIP);
