/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The types that the real include/linux/mm_types.h embeds from headers the
 * harness cannot include (task, cpumask, workqueue, uprobes, futex, page
 * tables, ...).  The code under test never looks inside them; they only have
 * to exist with a plausible shape.  The shadow headers auxvec.h, kref.h,
 * completion.h, cpumask.h, uprobes.h, workqueue.h, percpu_counter.h,
 * futex_types.h, rseq_types.h, mm_types_task.h, page-flags-layout.h and
 * asm/mmu.h all resolve to this one file.
 */
#ifndef _VH_MM_TYPES_DEPS_H
#define _VH_MM_TYPES_DEPS_H

#include <linux/kernel.h>
#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/refcount.h>
#include <linux/bitops.h>
#include <linux/mmdebug.h>

#define __private
#define ACCESS_PRIVATE(p, member)	((p)->member)
#ifndef ____cacheline_aligned_in_smp
#define ____cacheline_aligned_in_smp	__attribute__((aligned(64)))
#endif
#define ALLOC_SPLIT_PTLOCKS		1
#define AT_VECTOR_SIZE_BASE		22

#define set_mask_bits(ptr, mask, bits) ({				\
	typeof(*(ptr)) __old = READ_ONCE(*(ptr)), __new;		\
									\
	do {								\
		__new = (__old & ~(mask)) | (bits);			\
	} while (!__atomic_compare_exchange_n(ptr, &__old, __new,	\
			false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));	\
	__old;								\
})

typedef unsigned long pgoff_t;
typedef unsigned long pgprotval_t;
typedef struct pgprot { pgprotval_t pgprot; } pgprot_t;
#define pgprot_val(x)		((x).pgprot)
#define __pgprot(x)		((pgprot_t) { (x) })
typedef struct { unsigned long pgd; } pgd_t;
/* The other levels, x86-64's with 4-level paging (include/linux/pgalloc.h). */
typedef struct { unsigned long pte; } pte_t;
typedef struct { unsigned long pmd; } pmd_t;
typedef struct { unsigned long pud; } pud_t;
typedef struct { unsigned long p4d; } p4d_t;

#define PMD_SHIFT	21
#define PUD_SHIFT	30
#define PMD_SIZE	(1UL << PMD_SHIFT)
#define PMD_MASK	(~(PMD_SIZE - 1))
#define PUD_SIZE	(1UL << PUD_SHIFT)
#define PUD_MASK	(~(PUD_SIZE - 1))
typedef struct page *pgtable_t;
typedef struct { unsigned long ctx_id; } mm_context_t;

struct llist_node {
	struct llist_node *next;
};

struct kref {
	refcount_t refcount;
};

static inline unsigned int kref_read(const struct kref *kref)
{
	return refcount_read(&kref->refcount);
}

struct completion {
	unsigned int done;
};

struct work_struct {
	unsigned long data;
};

struct uprobes_state { };
struct mm_mm_cid { };
struct futex_mm_data { };
struct percpu_counter {
	s64 count;
};

static inline void percpu_counter_add_batch(struct percpu_counter *fbc,
					    s64 amount, s32 batch)
{
	__atomic_fetch_add(&fbc->count, amount, __ATOMIC_RELAXED);
}

#define percpu_counter_init(fbc, value, gfp) \
	((void)(gfp), __atomic_store_n(&(fbc)->count, (value), \
				       __ATOMIC_RELAXED), 0)

static inline s64 percpu_counter_read_positive(struct percpu_counter *fbc)
{
	s64 ret = __atomic_load_n(&fbc->count, __ATOMIC_RELAXED);

	return ret > 0 ? ret : 0;
}

typedef struct cpumask {
	unsigned long bits[1];
} cpumask_t;

static inline void cpumask_clear(struct cpumask *m)
{
	m->bits[0] = 0;
}

static inline unsigned int cpumask_size(void)
{
	return sizeof(struct cpumask);
}

enum {
	MM_FILEPAGES,
	MM_ANONPAGES,
	MM_SWAPENTS,
	MM_SHMEMPAGES,
	NR_MM_COUNTERS
};

#endif /* _VH_MM_TYPES_DEPS_H */
