/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/bug.h (and, through asm/bug.h, tools/'s printing
 * WARN): WARN and BUG from kernel code fail the running test and name the
 * file and line (shared/kunit/account.c).  The _ONCE variants report every time, so
 * that each test sees its own warnings.
 *
 * The macro part is outside the include guard on purpose: tools/'s
 * kernel.h defines its own BUG(), and our kernel.h shadow re-includes this
 * file after it so that ours win.
 */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <stdbool.h>
#include "../../shared/env/report.h"

#endif /* _LINUX_BUG_H */

#undef WARN_ON
#undef WARN_ON_ONCE
#undef WARN
#undef WARN_ONCE
#undef BUG
#undef BUG_ON

#define WARN_ON(cond) ({						\
	bool __c = !!(cond);						\
	if (unlikely(__c))						\
		vh_report("WARN", __FILE__, __LINE__, "%s", #cond);	\
	unlikely(__c);							\
})
#define WARN_ON_ONCE(cond)	WARN_ON(cond)
#define WARN(cond, fmt...) ({						\
	bool __c = !!(cond);						\
	if (unlikely(__c))						\
		vh_report("WARN", __FILE__, __LINE__, fmt);		\
	unlikely(__c);							\
})
#define WARN_ONCE(cond, fmt...)	WARN(cond, fmt)
#define BUG()			vh_bug(__FILE__, __LINE__, "BUG()")
#define BUG_ON(cond) do {						\
	if (unlikely(cond))						\
		vh_bug(__FILE__, __LINE__, #cond);			\
} while (0)
