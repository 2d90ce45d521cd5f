/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP receive zerocopy's VMA lookup for the tests: net/ipv4/tcp.c's own
 * find_tcp_vma() and tcp_mmap(), as the unit build/gen/kx/tcp.c takes
 * them from the tree (scripts/build/units/tcp.names).  A tree without
 * net/ipv4/tcp.c builds without the unit: every function here is weak
 * (NULL), and VH_TCP_SKIP says why the tests are skipped.
 */
#ifndef _VH_ENV_TCP_H
#define _VH_ENV_TCP_H

#include <stdbool.h>

struct mm_struct;
struct vm_area_struct;

/* Defined by the unit: whether the tree has it. */
extern const bool vh_tcp_unit __attribute__((weak));
#define VH_TCP_SKIP	(&vh_tcp_unit ? NULL : \
	"the tree has no net/ipv4/tcp.c")

/*
 * Whether find_tcp_vma() is the series' (vma_start_read_unlocked(), no
 * *mmap_locked: what it returns is always read-locked) rather than 7.3's.
 */
extern const bool vh_tcp_unlocked __attribute__((weak));

/**
 * vh_tcp_mmap() - tcp_mmap() on @vma, as a socket's mmap() calls it
 * @vma:	the new mapping (its mm's mmap_lock held for write)
 *
 * Return: 0 with @vma a TCP mapping (vm_ops tcp_vm_ops), or -EPERM for a
 * writable or executable one.
 */
int vh_tcp_mmap(struct vm_area_struct *vma) __attribute__((weak));

/**
 * vh_tcp_find_vma() - find_tcp_vma(), as tcp_zerocopy_receive() calls it
 * @mm:		the receiving task's address space
 * @address:	where the pages are to be mapped
 * @mmap_locked: set to whether the VMA is held by mmap_lock (read) rather
 *		than by its own read lock (always false for the series' version)
 *
 * Return: the TCP VMA at @address, held as *@mmap_locked says, or NULL
 * holding neither.
 */
struct vm_area_struct *vh_tcp_find_vma(struct mm_struct *mm,
				       unsigned long address,
				       bool *mmap_locked) __attribute__((weak));

#endif /* _VH_ENV_TCP_H */
