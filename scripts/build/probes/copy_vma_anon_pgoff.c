// SPDX-License-Identifier: GPL-2.0
/* Does mm/vma.c's copy_vma() take the anon_vma's pgoff apart (7.3+)? */
#include "vma_internal.h"
#include <ksrc/mm/vma.h>

struct vm_area_struct *probe(struct vm_area_struct **vmap, bool *need)
{
	return copy_vma(vmap, 0, 0, 0, 0, need, false);
}
