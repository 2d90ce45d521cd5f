/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/syscalls.h: a system call of a file compiled whole
 * (mm/mmap.c's brk, mmap_pgoff, munmap, ...) is a plain function
 * sys_NAME(type arg, ...), callable by tests; no entry wrappers, no
 * metadata.
 */
#ifndef _VH_LINUX_SYSCALLS_H
#define _VH_LINUX_SYSCALLS_H

#define __VH_SC1(t, a)		t a
#define __VH_SC2(t, a, ...)	t a, __VH_SC1(__VA_ARGS__)
#define __VH_SC3(t, a, ...)	t a, __VH_SC2(__VA_ARGS__)
#define __VH_SC4(t, a, ...)	t a, __VH_SC3(__VA_ARGS__)
#define __VH_SC5(t, a, ...)	t a, __VH_SC4(__VA_ARGS__)
#define __VH_SC6(t, a, ...)	t a, __VH_SC5(__VA_ARGS__)
#define SYSCALL_DEFINE0(name)	long sys_##name(void)
#define SYSCALL_DEFINE1(name, ...) long sys_##name(__VH_SC1(__VA_ARGS__))
#define SYSCALL_DEFINE2(name, ...) long sys_##name(__VH_SC2(__VA_ARGS__))
#define SYSCALL_DEFINE3(name, ...) long sys_##name(__VH_SC3(__VA_ARGS__))
#define SYSCALL_DEFINE4(name, ...) long sys_##name(__VH_SC4(__VA_ARGS__))
#define SYSCALL_DEFINE5(name, ...) long sys_##name(__VH_SC5(__VA_ARGS__))
#define SYSCALL_DEFINE6(name, ...) long sys_##name(__VH_SC6(__VA_ARGS__))

#endif /* _VH_LINUX_SYSCALLS_H */
