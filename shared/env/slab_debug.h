/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SLUB_RCU_DEBUG for SLAB_TYPESAFE_BY_RCU caches (shared/slab.c): a freed
 * object that no RCU reader can still see, because a grace period began
 * after it was freed and has ended, is poisoned until it is allocated
 * again.  synchronize_rcu() (shared/rcu.c) brackets each grace period.
 */
#ifndef _VH_ENV_SLAB_DEBUG_H
#define _VH_ENV_SLAB_DEBUG_H

void vh_slab_gp_begin(void);
void vh_slab_gp_end(void);

#endif /* _VH_ENV_SLAB_DEBUG_H */
