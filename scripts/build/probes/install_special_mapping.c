// SPDX-License-Identifier: GPL-2.0
/* Is __install_special_mapping() in mm/vma.c (7.3+), not static in mmap.c? */
#include "vma_internal.h"
#include <ksrc/mm/vma.h>

struct vm_area_struct *probe(struct mm_struct *mm)
{
	return __install_special_mapping(mm, 0, 0, 0, NULL, NULL);
}
