/* SPDX-License-Identifier: GPL-2.0 */
/* Shadows include/linux/limits.h with the C library's limits. */
#ifndef _VH_LINUX_LIMITS_H
#define _VH_LINUX_LIMITS_H

#include <limits.h>
#include <stdint.h>

#define U16_MAX		UINT16_MAX
#define U32_MAX		UINT32_MAX
#define U64_MAX		UINT64_MAX
#define S32_MAX		INT32_MAX
#define S64_MAX		INT64_MAX

#endif /* _VH_LINUX_LIMITS_H */
