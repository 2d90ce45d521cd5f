/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows include/linux/mmzone.h (included by tools/'s mm.h): no zones here. */
#ifndef _LINUX_MMZONE_H
#define _LINUX_MMZONE_H
#endif /* _LINUX_MMZONE_H */
