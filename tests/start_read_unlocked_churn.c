// SPDX-License-Identifier: GPL-2.0
/*
 * vma_start_read_unlocked() under churn (2026 series): readers keep
 * getting answers while a writer keeps changing the address space.  Trees
 * without the helper report the row as skipped.
 */
#include <sched.h>
#include "../shared/kunit/test.h"
#include "../shared/vma/vma.h"

/* Progress: readers keep getting answers while a writer keeps working. */
struct ul_churn_row {
	const char *desc;
	const char *why;
	int lookups;
};

static const struct ul_churn_row ul_churn_rows[] = {
	{ .desc = "progress_under_churn", .lookups = 500 },
};

struct ul_churn {
	struct mm_struct *mm;
	int stop;
	unsigned long found, empty;
};

static void ul_churn_writer(void *arg)
{
	struct ul_churn *c = arg;
	unsigned long i = 0;

	while (!vh_flag(&c->stop)) {
		unsigned long s = VH_BASE + VH_PG(4 * (i++ % 4));

		mmap_write_lock(c->mm);
		if (i & 1)
			vh_unmap(c->mm, s, s + VH_PG(2));
		else
			vh_map(c->mm, s, s + VH_PG(2), VH_RW);
		mmap_write_unlock(c->mm);
		/* Let the readers in: the rwsem model prefers writers. */
		sched_yield();
	}
}

static void ul_churn_body(const struct ul_churn_row *row)
{
	struct ul_churn c = { .mm = vh_test_mm() };
	struct vh_thread *w;
	int i;

	w = vh_thread_start(ul_churn_writer, &c);
	for (i = 0; i < row->lookups; i++) {
		unsigned long addr = VH_BASE + VH_PG(vh_random() % 16);
		struct vm_area_struct *vma = vh_start_read_unlocked(c.mm, addr);

		if (!vma) {
			c.empty++;
			continue;
		}
		c.found++;
		VH_EXPECT_TRUE(addr >= vma->vm_start && addr < vma->vm_end);
		VH_EXPECT_TRUE(vma->vm_mm == c.mm && vma_is_attached(vma));
		vma_end_read(vma);
		if (vh_test_failed())
			break;
	}
	vh_flag_set(&c.stop, 1);
	vh_thread_join(w);
	if (vh_verbose)
		vh_diag("%lu found, %lu empty", c.found, c.empty);
}

VH_TABLE_SKIP(start_read_unlocked_churn,
	      "mm/mmap_lock.c: vma_start_read_unlocked() answers every lookup, with a VMA that contains the address, while a writer keeps mapping and unmapping",
	      ul_churn_rows, ul_churn_body, VH_UNLOCKED_SKIP);
