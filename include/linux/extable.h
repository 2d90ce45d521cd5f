/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's extable.h, and the parts of asm/ptrace.h that
 * mm/mmap_lock.c's lock_mm_and_find_vma() reads (CONFIG_LOCK_MM_AND_FIND_VMA,
 * as x86 selects it): the faulting context's registers.  A fault is taken
 * from user mode unless the test says otherwise (vh_kernel_mode); the
 * harness has no exception tables, so a kernel-mode fault is one no
 * fixup expects, and lock_mm_and_find_vma() refuses to wait for mmap_lock.
 */
#ifndef _VH_LINUX_EXTABLE_H
#define _VH_LINUX_EXTABLE_H

#include <linux/types.h>

struct pt_regs {
	unsigned long ip;
	unsigned long flags;	/* EFLAGS: arch/x86/mm/fault.c reads IF and AC */
	bool vh_kernel_mode;
};

struct exception_table_entry;

static inline int user_mode(struct pt_regs *regs)
{
	return !regs->vh_kernel_mode;
}

#define exception_ip(regs)	((regs)->ip)

static inline const struct exception_table_entry *
search_exception_tables(unsigned long addr __always_unused)
{
	return NULL;
}

#endif /* _VH_LINUX_EXTABLE_H */
