/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows include/linux/percpu.h: nothing of it is used by the code under test. */
