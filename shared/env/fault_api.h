/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A page fault for the tests: the tree's arch/x86/mm/fault.c
 * do_user_addr_fault() and mm/memory.c handle_mm_fault(), in the unit
 * build/gen/kx/fault.c (scripts/build/units/fault.names).  Below
 * handle_mm_fault() the page tables are empty (shared/env/fault.h): the
 * stub cut records each call, and what the driver would have told the
 * hardware or the task (a signal, an oops) is recorded too.
 * shared/vma/vma.h's vh_fault() is the interface tests use.
 */
#ifndef _VH_ENV_FAULT_API_H
#define _VH_ENV_FAULT_API_H

#include <stdbool.h>

struct vm_area_struct;

#define VH_FAULT_MAX_CALLS	4

/**
 * struct vh_fault_record - what one do_user_addr_fault() did
 * @calls:	__handle_mm_fault() calls (the stub cut), at most
 *		VH_FAULT_MAX_CALLS recorded
 * @flags:	the fault flags of each call (FAULT_FLAG_VMA_LOCK: under the
 *		VMA lock)
 * @ret:	what each call returned
 * @signal:	the signal the fault sends the task (SIGSEGV, SIGBUS), or 0
 * @si_code:	its si_code (SEGV_MAPERR, SEGV_ACCERR, ...)
 * @oops:	a kernel-mode fault no fixup handles (page_fault_oops())
 * @oom:	pagefault_out_of_memory() was called
 */
struct vh_fault_record {
	int calls;
	unsigned int flags[VH_FAULT_MAX_CALLS];
	unsigned int ret[VH_FAULT_MAX_CALLS];
	int signal;
	int si_code;
	bool oops;
	bool oom;
};

/**
 * typedef vh_fault_hook_fn - called where the page-level work would run
 * @arg:	what vh_fault_set_hook() was given
 * @vma:	the VMA being faulted, locked as @flags says
 * @flags:	the fault flags (FAULT_FLAG_VMA_LOCK: under its read lock,
 *		otherwise under mmap_lock)
 */
typedef void (*vh_fault_hook_fn)(void *arg, struct vm_area_struct *vma,
				 unsigned int flags);

/**
 * vh_fault_set_hook() - set the hook of the stub cut, or clear it (NULL)
 * @fn:		the hook
 * @arg:	its argument
 */
void vh_fault_set_hook(vh_fault_hook_fn fn, void *arg);

/**
 * vh_kx_user_fault() - take a page fault on a user address as x86 does
 * @address:	the faulting address
 * @write:	a write access (X86_PF_WRITE)
 * @instr:	an instruction fetch (X86_PF_INSTR)
 * @kernel_mode: taken in kernel mode (a uaccess: no X86_PF_USER)
 * @rec:	filled with what the driver did
 *
 * Calls the tree's do_user_addr_fault() on current->mm with the error
 * code the hardware gives for a page that is not present, and interrupts
 * enabled in the faulting context.
 */
void vh_kx_user_fault(unsigned long address, bool write, bool instr,
		      bool kernel_mode, struct vh_fault_record *rec);

#endif /* _VH_ENV_FAULT_API_H */
