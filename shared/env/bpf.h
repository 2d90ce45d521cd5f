/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bpf task VMA iterator for the tests: kernel/bpf/task_iter.c's own
 * open-coded iterator, bpf_iter_task_vma_new()/_next()/_destroy() (the
 * kfuncs a BPF program calls through bpf_for_each(task_vma, ...)), as the
 * unit build/gen/kx/task_iter.c takes them from the tree
 * (scripts/build/units/task_iter.names).
 */
#ifndef _VH_ENV_BPF_H
#define _VH_ENV_BPF_H

#include <stdbool.h>

struct task_struct;
struct vm_area_struct;

/* struct bpf_iter_task_vma: what a BPF program keeps on its stack. */
struct vh_bpf_iter {
	unsigned long long opaque[1];
} __attribute__((aligned(8)));

/**
 * vh_bpf_iter_new() - bpf_iter_task_vma_new() on @task's mm from @addr
 * @it:		the iterator
 * @task:	the task whose VMAs are iterated (its ->mm, ->flags)
 * @addr:	where the iteration starts
 *
 * Return: 0, or the kernel's -EBUSY, -ENOENT, -ENOMEM or -EOPNOTSUPP.
 */
int vh_bpf_iter_new(struct vh_bpf_iter *it, struct task_struct *task,
		    unsigned long addr);

/**
 * vh_bpf_iter_next() - bpf_iter_task_vma_next()
 * @it:		the iterator
 *
 * Return: the iterator's snapshot of the next VMA (a copy, valid until
 * the next call; the VMA itself is no longer locked), or NULL at the end.
 */
struct vm_area_struct *vh_bpf_iter_next(struct vh_bpf_iter *it);

/** vh_bpf_iter_destroy() - bpf_iter_task_vma_destroy() */
void vh_bpf_iter_destroy(struct vh_bpf_iter *it);

/** vh_bpf_iter_armed() - whether new() left iterator state (kit->data) */
bool vh_bpf_iter_armed(const struct vh_bpf_iter *it);

/**
 * vh_bpf_task_refs() - task references get_task_struct() took and
 * put_task_struct() has not dropped (0 when the iterator is destroyed)
 */
int vh_bpf_task_refs(void);

/** vh_bpf_task_set_kthread() - make @t a kernel thread (PF_KTHREAD) */
void vh_bpf_task_set_kthread(struct task_struct *t);

/** vh_bpf_set_irqs_off() - what irqs_disabled() answers the iterator */
void vh_bpf_set_irqs_off(bool off);

#endif /* _VH_ENV_BPF_H */
