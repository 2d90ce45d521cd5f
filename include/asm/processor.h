/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows arch/x86/include/asm/processor.h: only cpu_relax(). */
#ifndef _VH_ASM_PROCESSOR_H
#define _VH_ASM_PROCESSOR_H

#include <sched.h>

#define cpu_relax()	sched_yield()

#endif /* _VH_ASM_PROCESSOR_H */
