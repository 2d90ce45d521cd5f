/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checking a kernel entry point's locking contract at its return
 * (shared/vma/entry.c): vh_entry_begin() before the call, vh_entry_end()
 * after it.
 */
#ifndef _VH_VMA_ENTRY_H
#define _VH_VMA_ENTRY_H

#include <linux/sched.h>

struct vm_area_struct;

struct vh_entry {
	const char *fn, *file;
	int line;
	int rcu;
	int depth;
	struct vh_held_lock held[VH_MAX_LOCK_DEPTH];
};

void vh_entry_begin(struct vh_entry *e, const char *fn, const char *file,
		    int line);
/* @vma read-locked (@delta 1) or released (-1) by the call, or NULL. */
void vh_entry_end(struct vh_entry *e, struct vm_area_struct *vma, int delta);

#endif /* _VH_VMA_ENTRY_H */
