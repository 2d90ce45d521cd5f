/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows include/trace/events/mmap_lock.h: no tracing in the harness. */
#include <linux/tracepoint-defs.h>
