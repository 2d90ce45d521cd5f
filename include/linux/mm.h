/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/mm.h.  What the kernel's mm.h (and the headers it
 * stands for here: mm/internal.h, ksm.h, mman.h, fs.h, ...) defines inline
 * comes from the tree itself: build/gen/vma_env.h, extracted by name at
 * build time (scripts/build/env.names).  This file adds, before it, what
 * those headers only declare and the kernel defines in files the harness
 * does not compile (page tables, TLB, reverse map, memory accounting):
 * short stubs, mostly macros so that they fit every kernel version's
 * signature.  The few that need the VMA flags are functions in
 * shared/env/kernel_stubs.c, declared by the tree's own prototypes.
 */
#ifndef _VH_LINUX_MM_H
#define _VH_LINUX_MM_H

#include <linux/gfp.h>
#include_next <linux/mm.h>
#include "../../vma_internal.h"

/*
 * The user address space of the configuration's architecture: x86-64 with
 * 4-level page tables (arch/x86/include/asm/page_64_types.h), arm64 with
 * 48-bit VAs (arch/arm64/include/asm/processor.h), i386 and arm with the
 * 3G/1G split (page_32_types.h: __PAGE_OFFSET; arm: PAGE_OFFSET - 16M).
 */
#if defined(__x86_64__)
#define TASK_SIZE_MAX		((1UL << 47) - PAGE_SIZE)
#elif defined(__aarch64__)
#define TASK_SIZE_MAX		(1UL << 48)
#elif defined(__i386__)
#define TASK_SIZE_MAX		0xC0000000UL
#elif defined(__arm__)
#define TASK_SIZE_MAX		0xBF000000UL
#else
#error "vma: no TASK_SIZE for this architecture (include/linux/mm.h)"
#endif
#define DEFAULT_MAP_WINDOW	TASK_SIZE_MAX
#define TASK_SIZE		TASK_SIZE_MAX
#define TASK_SIZE_LOW		TASK_SIZE_MAX
#define STACK_TOP		TASK_SIZE_LOW
#define STACK_TOP_MAX		TASK_SIZE_MAX

/* Page tables and TLB (mm/memory.c, mm/mremap.c): there are none. */
#define flush_tlb_mm(mm)		do { (void)(mm); } while (0)
/* No struct pages: special mappings have no pages to fault in. */
#define get_page(page)			do { (void)(page); } while (0)
struct mmu_gather {
	struct mm_struct *mm;
};
static inline void vh_no_page_tables(int unused, ...)
{
}
#define free_pgd_range(...)		vh_no_page_tables(0, __VA_ARGS__)
/*
 * free_pgtables() has no page tables to free, but unlinks the VMAs from the
 * reverse maps first, as mm/memory.c's does: modelled for the trees whose
 * free_pgtables() takes a struct unmap_desc (shared/env/kernel_stubs.c),
 * nothing for older ones.
 */
void vh_free_pgtables(struct mmu_gather *tlb, void *desc, ...);
#define free_pgtables(tlb, ...)		vh_free_pgtables(tlb, __VA_ARGS__)
#define unmap_vmas(...)			vh_no_page_tables(0, __VA_ARGS__)
#define lru_add_drain()			do { } while (0)
#define arch_unmap(mm, start, end) \
	do { (void)(mm); (void)(start); (void)(end); } while (0)

/* Permissions (security/): all granted. */
#define security_vm_enough_memory_mm(mm, pages) ((void)(mm), (void)(pages), 0)
#define capable(cap)				((void)(cap), true)

/* File mappings (mm/util.c): linux/fs.h. */
#define mmap_action_prepare(desc, ...)		((void)(desc), 0)
#define mmap_action_complete(vma, ...)		((void)(vma), 0)
#define compat_vma_mmap(file, vma)	((void)(file), (void)(vma), -EINVAL)

/*
 * CONFIG_USERFAULTFD: struct userfaultfd_ctx's wait queues, and the uapi
 * feature bits its helpers test (the tree's header, whole).
 */
#include <linux/wait.h>
#include <uapi/linux/userfaultfd.h>

#ifndef VH_ENV_PROBE
#include "vma_env.h"
#endif

#endif /* _VH_LINUX_MM_H */
