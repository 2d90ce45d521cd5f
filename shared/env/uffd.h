/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment of mm/userfaultfd.c's VMA locking: what the functions
 * that scripts/build/units/userfaultfd.names takes from the tree call and
 * cannot have from it (the unit is build/gen/kx/userfaultfd.c).  How they
 * find, lock and change VMAs is the tree's; below the VMA there is
 * nothing.
 *
 * Hand-written stand-ins, each a debt (README, "Hand-written"):
 *  - page tables: mfill_establish_pmd(), mm_alloc_pmd(), mm_find_pmd(),
 *    the pmd accessors and pte_alloc(): one PMD per address space that is
 *    always present and never huge, as after a first fault;
 *  - the page-level work: mfill_copy_folio_locked() (the copy under the
 *    lock, which a test can make fault so that mfill_copy_folio_retry()
 *    drops and retakes the locks), mfill_atomic_install_pte(),
 *    mfill_atomic_pte_zeropage(), _continue() and _poison(),
 *    move_pages_ptes(): each tells shared/env/uffd_ops.h what it was
 *    handed (the VMA and the locks held) and succeeds;
 *  - folios: vma_alloc_folio() is a zeroed page-sized allocation,
 *    mem_cgroup_charge() always succeeds, folio_put() frees (the
 *    reference a PTE would keep is put as the PTE is "installed");
 *  - user copies: copy_from_user() copies the ioctl argument structs
 *    (kernel pointers here) and nothing else, since the addresses of the
 *    test's address spaces have no memory behind them: a source page is
 *    "copied" without being read; put_user() stores;
 *  - the event queues: userfaultfd_event_wait_completion() delivers the
 *    event at once, as a handler that reads it at once would, and
 *    __wake_userfault() is never reached (no fault waits);
 *  - new_userfaultfd(): vh_uffd_new() in uffd_ops.h makes a context as it
 *    does, without a file.
 */
#ifndef _VH_ENV_UFFD_H
#define _VH_ENV_UFFD_H

#include "vma_internal.h"
#include <string.h>
/* What mm.h's environment already has, for kextract's probe of this one. */
#ifdef VH_ENV_PROBE
#include "vma_env.h"
#endif

#define __user
#ifndef __ro_after_init
#define __ro_after_init
#endif
#ifndef __cleanup
#define __cleanup(func)	__attribute__((__cleanup__(func)))
#endif

/* Folios: a zeroed page-sized allocation, never charged, freed on put. */
struct folio *vh_uffd_folio_alloc(void);
void vh_uffd_folio_put(struct folio *folio);
#define vma_alloc_folio(gfp, order, vma, addr) \
	((void)(gfp), (void)(order), (void)(vma), (void)(addr), \
	 vh_uffd_folio_alloc())
#define mem_cgroup_charge(folio, mm, gfp) \
	((void)(folio), (void)(mm), (void)(gfp), 0)
#define folio_put(folio)		vh_uffd_folio_put(folio)
#define kmap_local_folio(folio, off)	((void *)(folio) + (off))
#define kunmap_local(addr)		((void)(addr))
#define flush_dcache_folio(folio)	((void)(folio))
#define __folio_mark_uptodate(folio)	((void)(folio))
#define clear_user_highpage(page, addr)	((void)(page), (void)(addr))

struct mfill_state;
struct userfaultfd_wait_queue;
struct userfaultfd_wake_range;

/* Page tables: one dummy PMD, present, not huge, with a page table. */
extern pmd_t vh_uffd_pmd;
static inline pmd_t *mm_find_pmd(struct mm_struct *mm, unsigned long addr)
{
	(void)mm; (void)addr;
	return &vh_uffd_pmd;
}
static pmd_t *mm_alloc_pmd(struct mm_struct *mm, unsigned long address);
static int mfill_establish_pmd(struct mfill_state *state);
#define pmdp_get_lockless(pmdp)		(*(pmdp))
#define pmd_trans_huge_lock(pmd, vma)	((void)(pmd), (void)(vma), (spinlock_t *)NULL)
#define __pte_alloc(mm, pmd)		((void)(mm), (void)(pmd), 0)
#define pte_alloc(mm, pmd)		((void)(mm), (void)(pmd), 0)
static inline int pmd_none(pmd_t pmd) { (void)pmd; return 0; }
static inline int pmd_present(pmd_t pmd) { (void)pmd; return 1; }
static inline int pmd_trans_huge(pmd_t pmd) { (void)pmd; return 0; }
#define pmd_folio(pmd)			({ BUG(); (struct folio *)NULL; })
#define is_huge_zero_folio(folio)	({ BUG(); false; })
#define PageAnonExclusive(page)		({ BUG(); false; })
#define move_pages_huge_pmd(...)	({ BUG(); -EINVAL; })
/* mm/mprotect.c: no page tables to change (uffd-wp is not compiled). */
static inline long change_protection(struct mmu_gather *tlb,
				     struct vm_area_struct *vma,
				     unsigned long start, unsigned long end,
				     unsigned long cp_flags)
{
	(void)tlb; (void)vma; (void)start; (void)end; (void)cp_flags;
	return 0;
}

/* The page-level work (uffd_ops.h). */
static int mfill_copy_folio_locked(struct folio *folio, unsigned long src_addr);
static int mfill_atomic_install_pte(pmd_t *dst_pmd,
				    struct vm_area_struct *dst_vma,
				    unsigned long dst_addr, struct page *page,
				    unsigned int flags);
static int mfill_atomic_pte_zeropage(struct mfill_state *state);
static int mfill_atomic_pte_continue(struct mfill_state *state);
static int mfill_atomic_pte_poison(struct mfill_state *state);
static long move_pages_ptes(struct mm_struct *mm, pmd_t *dst_pmd,
			    pmd_t *src_pmd, struct vm_area_struct *dst_vma,
			    struct vm_area_struct *src_vma,
			    unsigned long dst_addr, unsigned long src_addr,
			    unsigned long len, __u64 mode);

/* The event queues (uffd_ops.h). */
static void userfaultfd_event_wait_completion(struct userfaultfd_ctx *ctx,
					      struct userfaultfd_wait_queue *ewq);
static void __wake_userfault(struct userfaultfd_ctx *ctx,
			     struct userfaultfd_wake_range *range);

/* User copies: the ioctls' argument structs. */
static inline unsigned long copy_from_user(void *to, const void *from,
					   unsigned long n)
{
	/* A page is a source page in the test's address space: no memory. */
	if (n == PAGE_SIZE)
		memset(to, 0, n);
	else
		memcpy(to, from, n);
	return 0;
}
#define put_user(x, ptr)	({ *(ptr) = (x); 0; })

/* kernel/fork.c: the test owns the address space, so never the last. */
static inline void mmput(struct mm_struct *mm)
{
	WARN_ON_ONCE(atomic_dec_return(&mm->mm_users) <= 0);
}

#endif /* _VH_ENV_UFFD_H */
