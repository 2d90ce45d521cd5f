/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The end of the TCP unit (build/gen/kx/tcp.c): after the functions taken
 * from net/ipv4/tcp.c, the entry points of shared/env/tcp.h.  Only this
 * unit includes it.
 */
#ifndef _VH_ENV_TCP_ZC_OPS_H
#define _VH_ENV_TCP_ZC_OPS_H

#include "tcp.h"

const bool vh_tcp_unit = true;

int vh_tcp_mmap(struct vm_area_struct *vma)
{
	return tcp_mmap(NULL, NULL, vma);
}

struct vm_area_struct *vh_tcp_find_vma(struct mm_struct *mm,
				       unsigned long address,
				       bool *mmap_locked)
{
	return find_tcp_vma(mm, address, mmap_locked);
}

#endif /* _VH_ENV_TCP_ZC_OPS_H */
