// SPDX-License-Identifier: GPL-2.0
/*
 * The interleaving explorer's hook (shared/sched_point.h).  Until the
 * explorer lands it is never active and scheduling points cost one branch.
 */
#include "sched_point.h"

bool vh_explorer_active;

void vh_explorer_yield(void)
{
}
