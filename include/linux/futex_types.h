/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows include/linux/futex_types.h: only what mm_types.h needs (see mm_types_deps.h). */
#include <linux/mm_types_deps.h>
