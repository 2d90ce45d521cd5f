/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment of the bpf task VMA iterator: what kernel/bpf/task_iter.c's
 * bpf_iter_task_vma_new()/_next()/_destroy() call and cannot have from the
 * tree (the unit is build/gen/kx/task_iter.c, made of the functions that
 * scripts/build/units/task_iter.names takes by name).  The VMA lookup and
 * lock are the tree's: vma_iter_init()/vma_next() (mm_types.h, mm.h),
 * lock_vma_under_rcu() (mm/mmap_lock.c) and vma_end_read() (mmap_lock.h).
 *
 * Hand-written stand-ins, each a debt (README, "Hand-written"):
 *  - __bpf_kfunc (include/linux/btf.h) is noinline: BTF is not modelled;
 *  - bpf_mem_alloc()/bpf_mem_free() (kernel/bpf/memalloc.c) on
 *    bpf_global_ma are kmalloc()/kfree(): one cache, no per-CPU lists;
 *  - get_task_struct()/put_task_struct() (include/linux/sched/task.h)
 *    count the references taken, which must balance at destroy();
 *  - irqs_disabled() is what the test says (vh_bpf_irqs_off): the
 *    harness has no interrupts, a BPF program may run with them off;
 *  - spin_trylock() (tools/'s spinlock_t is a bare mutex);
 *  - mmput_async() (kernel/fork.c) drops mm_users, which must stay
 *    positive: the test owns the address space.
 */
#ifndef _VH_ENV_BPF_ITER_H
#define _VH_ENV_BPF_ITER_H

#include "vma_internal.h"

#define __bpf_kfunc		__used noinline
#define __bpf_kfunc_start_defs()
#define __bpf_kfunc_end_defs()

/* Task references taken by get_task_struct() and not yet put. */
static atomic_t vh_bpf_task_refcnt;
/* What irqs_disabled() answers (the test sets it). */
static bool vh_bpf_irqs_off;

struct bpf_mem_alloc {
	int vh_unused;
};

static struct bpf_mem_alloc bpf_global_ma;

static inline void *bpf_mem_alloc(struct bpf_mem_alloc *ma, size_t size)
{
	(void)ma;
	return kmalloc(size, GFP_KERNEL);
}

static inline void bpf_mem_free(struct bpf_mem_alloc *ma, void *ptr)
{
	(void)ma;
	kfree(ptr);
}

static inline struct task_struct *get_task_struct(struct task_struct *t)
{
	atomic_inc(&vh_bpf_task_refcnt);
	return t;
}

static inline void put_task_struct(struct task_struct *t)
{
	(void)t;
	WARN_ON_ONCE(atomic_dec_return(&vh_bpf_task_refcnt) < 0);
}

#define irqs_disabled()		READ_ONCE(vh_bpf_irqs_off)
#define spin_trylock(l)		(pthread_mutex_trylock(l) == 0)

/* kernel/fork.c: the test owns the address space, so never the last. */
static inline void mmput_async(struct mm_struct *mm)
{
	WARN_ON_ONCE(atomic_dec_return(&mm->mm_users) <= 0);
}

#endif /* _VH_ENV_BPF_ITER_H */
