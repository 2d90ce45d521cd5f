// SPDX-License-Identifier: GPL-2.0
/*
 * Write paths of write_path.c with vma_start_read_unlocked() as the
 * reader (the 2026 series' entry point, on trees that have it).
 */
#include "../shared/kunit/test.h"
#include "../shared/vma/under_reader.h"

static const struct vh_ur_row write_path_unlocked_rows[] = {
	{ .desc = "brk_expand", .op = &vh_op_brk, .waits = true,
	  .reader  = VH_READER_UNLOCKED,
	  .before  = "AAAA",
	  .kind    = "bbbb",
	  .read_at = " ^  ",
	  .range   = "    ****",
	  .probe   = "########",
	  .after   = "AAAAAAAA",
	  .sites   = { "vma_expand(target)" } },
	{ .desc = "stack_grows_down", .op = &vh_op_stack_grow, .waits = true,
	  .reader  = VH_READER_UNLOCKED,
	  .before  = "--------SSSSSSSS",
	  .kind    = "        gggggggg",
	  .read_at = "            ^   ",
	  .range   = "    ****",
	  .probe   = "    ############",
	  .after   = "    SSSSSSSSSSSS",
	  .sites   = { "expand_downwards(vma)" } },
	{ .desc = "take_all_locks", .op = &vh_op_take_all, .waits = true,
	  .reader  = VH_READER_UNLOCKED,
	  .before  = "AAAA--BB--CC",
	  .read_at = "           ^",
	  .probe   = "############",
	  .after   = "AAAA--BB--CC",
	  .sites   = { "mm_take_all_locks(vma)" } },
	{ .desc = "copy_merges", .op = &vh_op_copy, .to = 16, .waits = true,
	  .reader  = VH_READER_UNLOCKED,
	  .before  = "AAAA--------BBBB",
	  .read_at = "             ^  ",
	  .range   = "****",
	  .probe   = "            ########",
	  .after   = "AAAA--------BBBBBBBB",
	  .sites   = { "vma_expand(target)" } },
};

VH_UR_TABLE_SKIP(write_path_unlocked,
		 "mm/vma.c, mm/mmap_lock.c: every mm/vma.c path that changes or creates a VMA write-locks it first, whichever entry point the reader took",
		 write_path_unlocked_rows, VH_UNLOCKED_SKIP);
