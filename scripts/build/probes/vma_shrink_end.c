// SPDX-License-Identifier: GPL-2.0
/* Does mm/vma.c's vma_shrink() take the new end only (7.3+)? */
#include "vma_internal.h"
#include <ksrc/mm/vma.h>

int probe(struct vma_iterator *vmi, struct vm_area_struct *vma)
{
	return vma_shrink(vmi, vma, 0);
}
