/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows include/linux/local_lock.h: nothing of it is used by the code under test. */
