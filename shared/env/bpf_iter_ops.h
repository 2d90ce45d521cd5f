/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The end of the bpf task VMA iterator unit (build/gen/kx/task_iter.c):
 * after the functions taken from kernel/bpf/task_iter.c, the entry points
 * of shared/env/bpf.h.  Only this unit includes it.
 */
#ifndef _VH_ENV_BPF_ITER_OPS_H
#define _VH_ENV_BPF_ITER_OPS_H

#include "bpf.h"

int vh_bpf_iter_new(struct vh_bpf_iter *it, struct task_struct *task,
		    unsigned long addr)
{
	BUILD_BUG_ON(sizeof(*it) != sizeof(struct bpf_iter_task_vma));
	return bpf_iter_task_vma_new((struct bpf_iter_task_vma *)it, task,
				     addr);
}

struct vm_area_struct *vh_bpf_iter_next(struct vh_bpf_iter *it)
{
	return bpf_iter_task_vma_next((struct bpf_iter_task_vma *)it);
}

void vh_bpf_iter_destroy(struct vh_bpf_iter *it)
{
	bpf_iter_task_vma_destroy((struct bpf_iter_task_vma *)it);
}

bool vh_bpf_iter_armed(const struct vh_bpf_iter *it)
{
	return ((const struct bpf_iter_task_vma_kern *)it)->data;
}

int vh_bpf_task_refs(void)
{
	return atomic_read(&vh_bpf_task_refcnt);
}

void vh_bpf_task_set_kthread(struct task_struct *t)
{
	t->flags |= PF_KTHREAD;
}

void vh_bpf_set_irqs_off(bool off)
{
	WRITE_ONCE(vh_bpf_irqs_off, off);
}

#endif /* _VH_ENV_BPF_ITER_OPS_H */
