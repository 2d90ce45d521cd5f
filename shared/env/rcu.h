/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RCU as the layers above it in the environment see it: whoever must know
 * when grace periods begin and end (SLUB_RCU_DEBUG in slab.c poisons a
 * freed object once a grace period begun after its free has ended)
 * registers a pair of hooks, which synchronize_rcu() (rcu.c) calls around
 * each grace period.
 */
#ifndef _VH_ENV_RCU_H
#define _VH_ENV_RCU_H

struct vh_rcu_gp_ops {
	void (*begin)(void);
	void (*end)(void);
};

void vh_rcu_gp_register(const struct vh_rcu_gp_ops *ops);

#endif /* _VH_ENV_RCU_H */
