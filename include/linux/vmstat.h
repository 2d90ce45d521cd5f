/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/vmstat.h: the per-VMA lock event counters, always
 * counted (as with the PER_VMA_LOCK_STATS option) and readable by tests through
 * vh_vm_event() (shared/env/env.h).  Counts are kept per task and summed on read, as the
 * kernel's per-CPU counters are.
 */
#ifndef _LINUX_VMSTAT_H
#define _LINUX_VMSTAT_H

enum vm_event_item {
	VMA_LOCK_SUCCESS,
	VMA_LOCK_ABORT,
	VMA_LOCK_RETRY,
	VMA_LOCK_MISS,
	PGFAULT,		/* mm/memory.c's mm_account_fault() */
	NR_VM_EVENT_ITEMS
};

void count_vm_event(enum vm_event_item item);

/* No zones, no free pages to count (mm/mmap.c's reserve notifier). */
enum zone_stat_item { NR_FREE_PAGES };
#define global_zone_page_state(item)	((void)(item), 0UL)
#define count_vm_vma_lock_event(x)	count_vm_event(x)

#endif /* _LINUX_VMSTAT_H */
