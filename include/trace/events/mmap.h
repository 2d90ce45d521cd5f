/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows include/trace/events/mmap.h: no tracing in the harness. */
#ifndef _VH_TRACE_MMAP_H
#define _VH_TRACE_MMAP_H

#define trace_vm_unmapped_area(addr, info) \
	do { (void)(addr); (void)(info); } while (0)
#define trace_exit_mmap(mm)	do { (void)(mm); } while (0)

#endif /* _VH_TRACE_MMAP_H */
