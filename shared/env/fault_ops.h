/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The end of the fault unit (build/gen/kx/fault.c): after the functions
 * taken from arch/x86/mm/fault.c and mm/memory.c, the entry points of
 * shared/env/fault_api.h, which take a fault as exc_page_fault() hands
 * it to do_user_addr_fault().  Only this unit includes it.
 */
#ifndef _VH_ENV_FAULT_OPS_H
#define _VH_ENV_FAULT_OPS_H

void vh_fault_set_hook(vh_fault_hook_fn fn, void *arg)
{
	vh_fault_hook = fn;
	vh_fault_hook_arg = arg;
}

void vh_kx_user_fault(unsigned long address, bool write, bool instr,
		      bool kernel_mode, struct vh_fault_record *rec)
{
	unsigned long error_code = (write ? X86_PF_WRITE : 0) |
				   (instr ? X86_PF_INSTR : 0) |
				   (kernel_mode ? 0 : X86_PF_USER);
	/* A fault is taken with interrupts enabled in the faulting context. */
	struct pt_regs regs = {
		.flags = X86_EFLAGS_IF,
		.vh_kernel_mode = kernel_mode,
	};

	memset(rec, 0, sizeof(*rec));
	vh_fault_rec = rec;
	do_user_addr_fault(&regs, error_code, address);
	vh_fault_rec = NULL;
}

#endif /* _VH_ENV_FAULT_OPS_H */
