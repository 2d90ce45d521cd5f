// SPDX-License-Identifier: GPL-2.0
/* Does mm/vma.c's mmap_region() take its flags as vma_flags_t (7.3+)? */
#include "vma_internal.h"
#include <ksrc/mm/vma.h>

unsigned long probe(void)
{
	return mmap_region(NULL, 0, 0, legacy_to_vma_flags(0), 0, NULL);
}
