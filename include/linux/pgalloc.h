/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/pgalloc.h, with the page tables of the harness
 * (for mm/mremap.c): there are none.  Every address space's top level is
 * empty (pgd_none_or_clear_bad() is true), so a page-table walker finds
 * nothing to move, and nothing is ever allocated below it.  The types and
 * sizes are x86-64's with 4-level paging.
 */
#ifndef _VH_PGALLOC_H
#define _VH_PGALLOC_H

#include <linux/mm_types_deps.h>


/* No page tables: the walk ends at the top level, empty. */
static inline pgd_t *pgd_offset(struct mm_struct *mm __always_unused,
				unsigned long addr __always_unused)
{
	return NULL;
}
static inline int pgd_none_or_clear_bad(pgd_t *pgd __always_unused)
{
	return 1;
}
/* Below the top level: never reached, since the top level is empty. */
static inline p4d_t *p4d_offset(pgd_t *pgd __always_unused,
				unsigned long addr __always_unused)
{
	return NULL;
}
static inline int p4d_none_or_clear_bad(p4d_t *p4d __always_unused)
{
	return 1;
}
static inline pud_t *pud_offset(p4d_t *p4d __always_unused,
				unsigned long addr __always_unused)
{
	return NULL;
}
static inline int pud_none_or_clear_bad(pud_t *pud __always_unused)
{
	return 1;
}
static inline pmd_t *pmd_offset(pud_t *pud __always_unused,
				unsigned long addr __always_unused)
{
	return NULL;
}
static inline int pmd_none(pmd_t pmd __always_unused)
{
	return 1;
}
static inline int pmd_trans_huge(pmd_t pmd __always_unused)
{
	return 0;
}
/* Allocation is never reached either: nothing is found to move. */
static inline p4d_t *p4d_alloc(struct mm_struct *mm __always_unused,
			       pgd_t *pgd __always_unused,
			       unsigned long addr __always_unused)
{
	return NULL;
}
static inline pud_t *pud_alloc(struct mm_struct *mm __always_unused,
			       p4d_t *p4d __always_unused,
			       unsigned long addr __always_unused)
{
	return NULL;
}
static inline pmd_t *pmd_alloc(struct mm_struct *mm __always_unused,
			       pud_t *pud __always_unused,
			       unsigned long addr __always_unused)
{
	return NULL;
}

/*
 * The PTE level (mm/mremap.c's move_ptes()): never reached, since no PMD
 * is ever found.  These only make it compile; each would be a BUG() if it
 * ran.
 */
#define vh_no_pte(...)	({ BUG(); (pte_t){ 0 }; })
#define pte_none(pte)			({ BUG(); 1; })
#define pte_present(pte)		({ BUG(); 0; })
#define pte_mksoft_dirty(pte)		vh_no_pte(pte)
#define pte_swp_mksoft_dirty(pte)	vh_no_pte(pte)
#define pte_batch_hint(ptep, pte)	({ BUG(); 1; })
#define pte_offset_map_lock(mm, pmd, addr, ptlp)	({ BUG(); (pte_t *)NULL; })
#define pte_offset_map_rw_nolock(mm, pmd, addr, pmdvalp, ptlp) \
	({ BUG(); (pte_t *)NULL; })
#define pte_unmap_unlock(pte, ptl)	BUG()
#define pte_unmap(pte)			BUG()
#define ptep_get(ptep)			vh_no_pte(ptep)
#define get_and_clear_ptes(mm, addr, ptep, nr)	vh_no_pte(ptep)
#define move_pte(pte, old_addr, new_addr)	vh_no_pte(pte)
#define pte_clear(mm, addr, ptep)	BUG()
#define pte_modify(pte, prot)		vh_no_pte(pte)
#define set_ptes(mm, addr, ptep, pte, nr)	BUG()
#define pte_alloc(mm, pmd)		({ BUG(); 1; })
#define flush_tlb_batched_pending(mm)	do { } while (0)
#define lazy_mmu_mode_enable()		do { } while (0)
#define lazy_mmu_mode_disable()		do { } while (0)
#define vm_normal_folio(vma, addr, pte)	({ BUG(); (struct folio *)NULL; })
#define folio_pte_batch_flags(folio, vma, ptep, ptentp, max_nr, flags) \
	({ BUG(); 1; })
#define folio_test_large(folio)		({ BUG(); false; })
#define pte_is_uffd_wp_marker(pte)	({ BUG(); false; })
/* A TLB flush is a no-op: there is no TLB. */
#define flush_tlb_range(vma, start, end)	do { } while (0)

#endif /* _VH_PGALLOC_H */
