/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/highmem.h for mm/mremap.c: what it uses of it is taken from
 * the tree by scripts/build/env.names (build/gen/vma_env.h).
 */
