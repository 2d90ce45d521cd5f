/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/syscalls.h for mm/mremap.c: a system call is the
 * plain function sys_NAME(), which the tests call as a task would (there
 * is no syscall table, no pt_regs wrapper and no argument sign-extension).
 */
#ifndef _VH_SYSCALLS_H
#define _VH_SYSCALLS_H

#define SYSCALL_DEFINE5(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
	long sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5);		\
	long sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5)

#endif /* _VH_SYSCALLS_H */
