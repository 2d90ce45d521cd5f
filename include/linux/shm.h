/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows include/linux/shm.h: mm/mremap.c uses nothing of it. */
