/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment of the fault unit (build/gen/kx/fault.c): what
 * arch/x86/mm/fault.c's do_user_addr_fault() and mm/memory.c's
 * handle_mm_fault(), taken by name (scripts/build/units/fault.names),
 * call and cannot have from the tree.  How they lock, retry and fall back
 * is the tree's; below them there is no hardware.
 *
 * Hand-written stand-ins, each a debt (README, "Hand-written"):
 *  - __handle_mm_fault() (mm/memory.c), the stub cut: the page tables are
 *    empty, so every fault is a first touch (do_pte_missing()); a write
 *    fault into a private VMA (do_anonymous_page(), do_cow_fault()) goes
 *    through the tree's vmf_anon_prepare(), a read fault of an anonymous
 *    VMA maps the zero page and needs no anon_vma; it records the call;
 *  - signals: force_sig_fault() and force_sig_pkuerr() (kernel/signal.c),
 *    do_sigbus(), show_signal_msg() and set_signal_archinfo() (the signal
 *    frame and its printout) record the signal for the test;
 *  - oopses: page_fault_oops(), kernelmode_fixup_or_oops() (there are no
 *    exception tables), pgtable_bad(), pagefault_out_of_memory()
 *    (mm/oom_kill.c) record what would have happened;
 *  - the CPU: no SMAP, protection keys or shadow stacks
 *    (cpu_feature_enabled() is false), no errata (is_errata93(),
 *    is_errata100()), no prefetch to decode (is_prefetch()), no vDSO
 *    fixups, no kprobes, interrupts always on (local_irq_enable()), no
 *    perf events;
 *  - faulthandler_disabled() is in_atomic() alone: pagefault_disable() is
 *    not modelled.
 */
#ifndef _VH_ENV_FAULT_H
#define _VH_ENV_FAULT_H

#include "vma_internal.h"
#include <linux/extable.h>
#include <signal.h>	/* the signal numbers and si_codes: the kernel's uapi */
#include "fault_api.h"

/* The record of the running fault (vh_kx_user_fault()), per task. */
static __thread struct vh_fault_record *vh_fault_rec;
static vh_fault_hook_fn vh_fault_hook;
static void *vh_fault_hook_arg;

/* The CPU: none of the features do_user_addr_fault() asks about. */
/* Kernel build glue: no kprobes. */
#define NOKPROBE_SYMBOL(fname)

#define cpu_feature_enabled(feature)	0
#define faulthandler_disabled()		(preempt_count() != 0)
#ifndef local_irq_enable
#define local_irq_enable()		do { } while (0)
#endif

struct pt_regs;

static inline void perf_sw_event(u32 event_id __always_unused,
				 u64 nr __always_unused,
				 struct pt_regs *regs __always_unused,
				 u64 addr __always_unused)
{
}

static inline bool kprobe_page_fault(struct pt_regs *regs __always_unused,
				     unsigned int trap __always_unused)
{
	return false;
}

static inline int is_errata93(struct pt_regs *regs __always_unused,
			      unsigned long address __always_unused)
{
	return 0;
}

static inline int is_errata100(struct pt_regs *regs __always_unused,
			       unsigned long address __always_unused)
{
	return 0;
}

static inline int is_prefetch(struct pt_regs *regs __always_unused,
			      unsigned long error_code __always_unused,
			      unsigned long addr __always_unused)
{
	return 0;
}

static inline bool fixup_vdso_exception(struct pt_regs *regs __always_unused,
					int trapnr __always_unused,
					unsigned long error_code __always_unused,
					unsigned long fault_addr __always_unused)
{
	return false;
}

static inline void show_signal_msg(struct pt_regs *regs __always_unused,
				   unsigned long error_code __always_unused,
				   unsigned long address __always_unused,
				   struct task_struct *tsk __always_unused)
{
}

static inline void set_signal_archinfo(unsigned long address __always_unused,
				       unsigned long error_code __always_unused)
{
}

static int show_unhandled_signals;

static void vh_fault_signal(int sig, int code)
{
	if (vh_fault_rec && !vh_fault_rec->signal) {
		vh_fault_rec->signal = sig;
		vh_fault_rec->si_code = code;
	}
}

static inline int force_sig_fault(int sig, int code,
				  void __user *addr __always_unused)
{
	vh_fault_signal(sig, code);
	return 0;
}

static inline int force_sig_pkuerr(void __user *addr __always_unused,
				   u32 pkey __always_unused)
{
	vh_fault_signal(SIGSEGV, SEGV_PKUERR);
	return 0;
}

static void vh_fault_oops(void)
{
	if (vh_fault_rec)
		vh_fault_rec->oops = true;
}

static void page_fault_oops(struct pt_regs *regs __always_unused,
				     unsigned long error_code __always_unused,
				     unsigned long address __always_unused)
{
	vh_fault_oops();
}

static void
kernelmode_fixup_or_oops(struct pt_regs *regs __always_unused,
			 unsigned long error_code __always_unused,
			 unsigned long address __always_unused,
			 int signal, int si_code, u32 pkey __always_unused)
{
	vh_fault_signal(signal, si_code);
	vh_fault_oops();
}

static void pgtable_bad(struct pt_regs *regs __always_unused,
				 unsigned long error_code __always_unused,
				 unsigned long address __always_unused)
{
	vh_fault_oops();
}

static void do_sigbus(struct pt_regs *regs __always_unused,
		      unsigned long error_code __always_unused,
		      unsigned long address __always_unused,
		      vm_fault_t fault __always_unused)
{
	vh_fault_signal(SIGBUS, BUS_ADRERR);
}

static inline void pagefault_out_of_memory(void)
{
	if (vh_fault_rec)
		vh_fault_rec->oom = true;
}

/*
 * The stub cut (mm/memory.c): on entry the VMA lock or mmap_lock is held
 * (FAULT_FLAG_VMA_LOCK); on VM_FAULT_RETRY it has been released.
 */
static vm_fault_t __handle_mm_fault(struct vm_area_struct *vma,
				    unsigned long address, unsigned int flags)
{
	struct vm_fault vmf = {
		.vma = vma,
		.address = address & PAGE_MASK,
		.real_address = address,
		.flags = flags,
		.pgoff = linear_page_index(vma, address),
	};
	struct vh_fault_record *rec = vh_fault_rec;
	vm_fault_t ret = 0;

	if (flags & FAULT_FLAG_VMA_LOCK)
		vma_assert_locked(vma);
	else
		mmap_assert_locked(vma->vm_mm);
	if (vh_fault_hook)
		vh_fault_hook(vh_fault_hook_arg, vma, flags);
	/* Every PTE is none: do_pte_missing(). */
	if (vma_is_anonymous(vma)) {
		/* do_anonymous_page(): a read fault maps the zero page. */
		if (flags & FAULT_FLAG_WRITE)
			ret = vmf_anon_prepare(&vmf);
	} else if ((flags & FAULT_FLAG_WRITE) &&
		   !(vma->vm_flags & VM_SHARED)) {
		/* do_cow_fault() */
		ret = vmf_anon_prepare(&vmf);
	}
	if (rec) {
		if (rec->calls < VH_FAULT_MAX_CALLS) {
			rec->flags[rec->calls] = flags;
			rec->ret[rec->calls] = ret;
		}
		rec->calls++;
	}
	return ret;
}

#endif /* _VH_ENV_FAULT_H */
