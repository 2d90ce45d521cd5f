// SPDX-License-Identifier: GPL-2.0
/* vm_event counters (include/linux/vmstat.h). */
#include <linux/vmstat.h>
#include "env.h"

static unsigned long vh_events[NR_VM_EVENT_ITEMS];

void count_vm_event(enum vm_event_item item)
{
	__atomic_fetch_add(&vh_events[item], 1, __ATOMIC_RELAXED);
}

unsigned long vh_vm_event(enum vm_event_item item)
{
	return __atomic_load_n(&vh_events[item], __ATOMIC_RELAXED);
}

void vh_vm_events_reset(void)
{
	int i;

	for (i = 0; i < NR_VM_EVENT_ITEMS; i++)
		__atomic_store_n(&vh_events[i], 0, __ATOMIC_RELAXED);
}
