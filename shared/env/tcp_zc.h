/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment of TCP receive zerocopy's VMA lookup: what
 * net/ipv4/tcp.c's find_tcp_vma() and tcp_mmap() need and cannot have
 * from the tree (the unit is build/gen/kx/tcp.c, made of the functions
 * scripts/build/units/tcp.names takes by name).  The lookup and the locks
 * are the tree's: lock_vma_under_rcu() (mm/mmap_lock.c), vma_end_read(),
 * mmap_read_lock()/_unlock() (mmap_lock.h), vma_lookup() and the
 * vm_flags_*() setters (mm.h).  The sockets and files the functions take
 * are only passed on, never looked at: they are incomplete types here.
 */
#ifndef _VH_ENV_TCP_ZC_H
#define _VH_ENV_TCP_ZC_H

#include "vma_internal.h"

struct socket;

#endif /* _VH_ENV_TCP_ZC_H */
