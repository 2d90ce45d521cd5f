/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/mmdebug.h as with CONFIG_DEBUG_VM, except that the
 * _ONCE variants report every time: each test must see its own warning, not
 * only the first test that trips a given line.
 */
#ifndef LINUX_MM_DEBUG_H
#define LINUX_MM_DEBUG_H 1

#include <linux/bug.h>
#include <linux/stringify.h>

struct page;
struct vm_area_struct;
struct mm_struct;
struct vma_iterator;
struct vma_merge_struct;

void dump_vma(const struct vm_area_struct *vma);
void dump_mm(const struct mm_struct *mm);
/* Reports a VM_WARN_ON_ONCE_VMA() (shared/env/kernel_callbacks.c). */
void vh_vm_warn_vma(const char *cond, const struct vm_area_struct *vma,
		    const char *file, int line);

#define VM_BUG_ON(cond)			BUG_ON(cond)
#define VM_BUG_ON_VMA(cond, vma) do {					\
	if (unlikely(cond)) {						\
		dump_vma(vma);						\
		BUG();							\
	}								\
} while (0)
#define VM_BUG_ON_MM(cond, mm) do {					\
	if (unlikely(cond)) {						\
		dump_mm(mm);						\
		BUG();							\
	}								\
} while (0)
#define VM_WARN_ON(cond)		WARN_ON(cond)
#define VM_WARN_ON_ONCE(cond)		WARN_ON(cond)
#define VM_WARN_ONCE(cond, fmt...)	WARN(cond, fmt)
#define VM_WARN(cond, fmt...)		WARN(cond, fmt)
#define VM_WARN_ON_ONCE_VMA(cond, vma) ({				\
	bool __vc = !!(cond);						\
	if (unlikely(__vc))						\
		vh_vm_warn_vma(#cond, vma, __FILE__, __LINE__);		\
	unlikely(__vc);							\
})
#define VM_WARN_ON_VMA(cond, vma)	VM_WARN_ON_ONCE_VMA(cond, vma)
#define VM_WARN_ON_ONCE_MM(cond, mm) ({					\
	bool __mc = !!(cond);						\
	if (unlikely(__mc))						\
		dump_mm(mm);						\
	WARN_ON(__mc);							\
})
#define VM_WARN_ON_MM(cond, mm)		VM_WARN_ON_ONCE_MM(cond, mm)
#define VM_WARN_ON_ONCE_PAGE(cond, page)	WARN_ON(cond)
#define VM_WARN_ON_FOLIO(cond, folio)	WARN_ON(cond)
#define VM_WARN_ON_ONCE_FOLIO(cond, folio)	WARN_ON(cond)
#define VM_WARN_ON_VMG(cond, vmg)	WARN_ON(cond)
#define VM_WARN_ON_VMI(cond, vmi)	WARN_ON(cond)
#define VM_BUG_ON_PAGE(cond, page)	BUG_ON(cond)
#define VM_BUG_ON_FOLIO(cond, folio)	BUG_ON(cond)
#define VM_WARN_ON_IRQS_ENABLED()	do { } while (0)
#define VIRTUAL_BUG_ON(cond)		BUG_ON(cond)

#endif /* LINUX_MM_DEBUG_H */
