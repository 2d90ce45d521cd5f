// SPDX-License-Identifier: GPL-2.0
/*
 * vh_fault(): a page fault as an x86 thread takes it, through the tree's
 * do_user_addr_fault() (the fault unit, shared/env/fault_api.h), checked
 * at its return against the driver's locking contract.
 */
#include <signal.h>
#include <linux/mm.h>
#include "../kunit/test.h"
#include "../env/fault_api.h"
#include "vma.h"
#include "entry.h"

static const char *const vh_fault_names[] = {
	[VH_FAULT_VMA_LOCK]	= "vma_lock",
	[VH_FAULT_RETRIED]	= "retried",
	[VH_FAULT_MMAP_LOCK]	= "mmap_lock",
	[VH_FAULT_SIGSEGV]	= "sigsegv",
	[VH_FAULT_SIGBUS]	= "sigbus",
	[VH_FAULT_OOPS]		= "oops",
	[VH_FAULT_OOM]		= "oom",
	[VH_FAULT_UNHANDLED]	= "unhandled",
};

const char *vh_fault_path_name(enum vh_fault_path path)
{
	if ((unsigned int)path < ARRAY_SIZE(vh_fault_names))
		return vh_fault_names[path];
	return "?";
}

static enum vh_fault_path vh_fault_path(const struct vh_fault_record *rec)
{
	int last = rec->calls - 1;

	if (rec->oops)
		return VH_FAULT_OOPS;
	if (rec->signal == SIGSEGV)
		return VH_FAULT_SIGSEGV;
	if (rec->signal)
		return VH_FAULT_SIGBUS;
	if (rec->oom)
		return VH_FAULT_OOM;
	if (last < 0 || last >= VH_FAULT_MAX_CALLS ||
	    (rec->ret[last] & VM_FAULT_RETRY))
		return VH_FAULT_UNHANDLED;
	if (rec->flags[last] & FAULT_FLAG_VMA_LOCK)
		return VH_FAULT_VMA_LOCK;
	if (rec->flags[0] & FAULT_FLAG_VMA_LOCK)
		return VH_FAULT_RETRIED;
	return VH_FAULT_MMAP_LOCK;
}

enum vh_fault_path vh_fault_at(struct mm_struct *mm, unsigned long addr,
			       unsigned int flags, const char *file, int line)
{
	struct task_struct *t = current;
	struct mm_struct *old = t->mm;
	struct vh_fault_record rec;
	struct vh_entry e;

	t->mm = mm;
	vh_entry_begin(&e, "do_user_addr_fault", file, line);
	vh_kx_user_fault(addr, flags & VH_FAULT_WRITE, flags & VH_FAULT_INSTR,
			 flags & VH_FAULT_KERNEL, &rec);
	vh_entry_end(&e, NULL, 0);
	t->mm = old;
	return vh_fault_path(&rec);
}
