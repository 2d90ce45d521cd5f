/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows mm/internal.h (same include guard) for the mm/ files compiled
 * whole that include it (mm/mremap.c): what they use of it is taken from
 * the tree by scripts/build/env.names into build/gen/vma_env.h, which
 * vma_internal.h includes; mm/vma.h, which it includes, is the tree's.
 */
#ifndef __MM_INTERNAL_H
#define __MM_INTERNAL_H

#include "vma_internal.h"
#include <ksrc/mm/vma.h>

#endif /* __MM_INTERNAL_H */
