/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/mm.h.  The tools/ version supplies the page-size
 * basics; everything mm/ needs beyond them is the VMA environment of
 * vma_internal.h (extracted from the tree, plus the harness models).
 */
#ifndef _VH_LINUX_MM_H
#define _VH_LINUX_MM_H

#include <linux/gfp.h>
#include_next <linux/mm.h>
#include "../../vma_internal.h"

#endif /* _VH_LINUX_MM_H */
