/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows include/linux/tracepoint-defs.h: tracepoints are never enabled. */
#ifndef _LINUX_TRACEPOINT_DEFS_H
#define _LINUX_TRACEPOINT_DEFS_H

#define DECLARE_TRACEPOINT(tp)		extern int __tracepoint_##tp
#define tracepoint_enabled(tp)		false
#define EXPORT_TRACEPOINT_SYMBOL(tp)	int __tracepoint_##tp
#define EXPORT_TRACEPOINT_SYMBOL_GPL(tp) int __tracepoint_##tp

#endif /* _LINUX_TRACEPOINT_DEFS_H */
