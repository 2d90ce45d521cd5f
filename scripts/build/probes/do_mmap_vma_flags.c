// SPDX-License-Identifier: GPL-2.0
/* Does mm/mmap.c's do_mmap() take its extra flags as vma_flags_t (7.3+)? */
#include "vma_internal.h"
#include <ksrc/mm/vma.h>

unsigned long probe(unsigned long *populate)
{
	return do_mmap(NULL, 0, 0, 0, 0, EMPTY_VMA_FLAGS, 0, populate, NULL);
}
