/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows arch/x86/include/asm/mmu.h: see linux/mm_types_deps.h. */
#include <linux/mm_types_deps.h>
