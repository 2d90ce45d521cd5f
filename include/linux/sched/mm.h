/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/sched/mm.h: mm_struct lifetime.  mmgrab()/mmdrop()
 * count mm_count as the kernel does; the harness's mm_alloc/mm_free in
 * shared/env/kernel_callbacks.c free the mm when the last reference goes.
 */
#ifndef _LINUX_SCHED_MM_H
#define _LINUX_SCHED_MM_H

#include <linux/atomic.h>
#include <linux/sched.h>
#include <linux/mm_types.h>
#include <linux/gfp.h>

void __mmdrop(struct mm_struct *mm);

static inline void mmgrab(struct mm_struct *mm)
{
	atomic_inc(&mm->mm_count);
}

static inline void mmdrop(struct mm_struct *mm)
{
	if (unlikely(atomic_dec_and_test(&mm->mm_count)))
		__mmdrop(mm);
}

#endif /* _LINUX_SCHED_MM_H */
