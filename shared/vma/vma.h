/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers built on the kernel's mm/vma.c and mm/mmap_lock.c: address
 * spaces and VMAs set up, changed and torn down through the kernel's own
 * code (shared/mm.c).
 */
#ifndef _VH_VMA_KERNEL_H
#define _VH_VMA_KERNEL_H

#include <linux/mm.h>
#include <ksrc/mm/vma.h>
#include "../env/env.h"
#include "probes.h"

/* A new address space (mm_count 1), and its release. */
struct mm_struct *vh_mm_new(void);
void vh_mm_put(struct mm_struct *mm);
/* Unmap everything (takes mmap_lock for write). */
void vh_mm_clear(struct mm_struct *mm);

/*
 * Real mm/vma.c operations; the caller holds mmap_lock for write.  They
 * return 0 or a negative errno.  vh_map() maps anonymous memory as mmap()
 * does (mmap_region(), merging with neighbours); vh_unmap() is munmap()
 * (do_vmi_munmap()); vh_protect() is what mprotect() does to the VMAs of a
 * range within one VMA: new VM_READ/WRITE/EXEC bits from @flags,
 * vma_modify_flags() (split or merge), then the new flags under the VMA
 * write lock.
 */
int vh_map(struct mm_struct *mm, unsigned long start, unsigned long end,
	   vm_flags_t flags);
int vh_unmap(struct mm_struct *mm, unsigned long start, unsigned long end);
int vh_protect(struct mm_struct *mm, unsigned long start, unsigned long end,
	       vm_flags_t flags);

#define VH_RW	(VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)
#define VH_RO	(VM_READ | VM_MAYREAD | VM_MAYWRITE)
#define VH_PROT_RW	(VM_READ | VM_WRITE)
#define VH_PROT_RO	VM_READ
#define VH_PG(n)	((n) * PAGE_SIZE)
#define VH_BASE		0x100000UL

/*
 * The common starting point: an address space with one anonymous VMA
 * [VH_BASE, VH_BASE + 8 pages), attached and not locked.
 */
struct vh_fixture {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
};
void vh_fixture_init(struct vh_fixture *f);
void vh_fixture_fini(struct vh_fixture *f);

/*
 * What a reader relies on staying put while it holds a VMA read-locked:
 * its range, offset, flags, anon_vma, mm and file.
 */
struct vh_vma_snap {
	unsigned long start, end, pgoff, flags;
	void *anon_vma, *mm, *file;
};
void vh_vma_snap(struct vm_area_struct *vma, struct vh_vma_snap *s);
bool vh_vma_snap_same(const struct vh_vma_snap *a,
		      const struct vh_vma_snap *b);

/*
 * vma_start_read_unlocked() where the tree has it (the 2026 series adds it;
 * the series fixture tree gets it from scripts/fixtures): tests of it are
 * skipped with VH_UNLOCKED_SKIP as the reason otherwise.
 */
#ifdef VH_HAVE_START_READ_UNLOCKED
#define VH_UNLOCKED_SKIP	NULL
#define vh_start_read_unlocked(mm, addr) vma_start_read_unlocked(mm, addr)
#else
#define VH_UNLOCKED_SKIP \
	"the tree has no vma_start_read_unlocked() (the series fixture adds it)"
#define vh_start_read_unlocked(mm, addr) ((void)(mm), (void)(addr), \
					  (struct vm_area_struct *)NULL)
#endif

/* The VMA slab cache (SLAB_TYPESAFE_BY_RCU) of mm/vma_init.c. */
struct kmem_cache *vh_vma_cache(void);

#endif /* _VH_VMA_KERNEL_H */
