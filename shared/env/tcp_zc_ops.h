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

/*
 * find_tcp_vma() as the tree has it: with *mmap_locked and its own
 * mmap_lock fallback (7.3), or the series' (scripts/fixtures/0003-*),
 * which takes the VMA with vma_start_read_unlocked() and has none.  The
 * call not made is not compiled (__builtin_choose_expr()).
 */
typedef struct vm_area_struct *(*vh_tcp_find_locked_t)(struct mm_struct *,
							unsigned long, bool *);
typedef struct vm_area_struct *(*vh_tcp_find_unlocked_t)(struct mm_struct *,
							  unsigned long);
#define VH_TCP_FIND_UNLOCKED \
	__builtin_types_compatible_p(typeof(&find_tcp_vma), vh_tcp_find_unlocked_t)

const bool vh_tcp_unlocked = VH_TCP_FIND_UNLOCKED;

int vh_tcp_mmap(struct vm_area_struct *vma)
{
	return tcp_mmap(NULL, NULL, vma);
}

struct vm_area_struct *vh_tcp_find_vma(struct mm_struct *mm,
				       unsigned long address,
				       bool *mmap_locked)
{
	/* One of the two is find_tcp_vma()'s own type, and only it is called. */
	vh_tcp_find_unlocked_t unlocked = (vh_tcp_find_unlocked_t)(void *)find_tcp_vma;
	vh_tcp_find_locked_t locked = (vh_tcp_find_locked_t)(void *)find_tcp_vma;

	*mmap_locked = false;
	return __builtin_choose_expr(VH_TCP_FIND_UNLOCKED,
				     unlocked(mm, address),
				     locked(mm, address, mmap_locked));
}

#endif /* _VH_ENV_TCP_ZC_OPS_H */
