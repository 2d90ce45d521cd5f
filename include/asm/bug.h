/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows tools/include/asm/bug.h: see linux/bug.h. */
#ifndef _TOOLS_ASM_BUG_H
#define _TOOLS_ASM_BUG_H
#include <linux/bug.h>
#endif
