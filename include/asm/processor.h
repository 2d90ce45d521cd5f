/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows arch/x86/include/asm/processor.h: only cpu_relax(). */
#ifndef _VH_ASM_PROCESSOR_H
#define _VH_ASM_PROCESSOR_H

#include <sched.h>

#define cpu_relax()	sched_yield()

/* x86-64's bottom-up mmap base (a 64-bit task: TASK_SIZE_LOW is TASK_SIZE). */
#define TASK_UNMAPPED_BASE	(PAGE_ALIGN(TASK_SIZE / 3))

#endif /* _VH_ASM_PROCESSOR_H */
