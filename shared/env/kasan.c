// SPDX-License-Identifier: GPL-2.0
/*
 * KASAN's role, played by AddressSanitizer: an invalid access fails the
 * running test instead of ending the run.  With SLUB_RCU_DEBUG
 * (shared/env/slab.c), "use-after-poison" in ASan's report is a
 * SLAB_TYPESAFE_BY_RCU object touched after a grace period that began after
 * its free had ended: outside RCU and without a reference.
 */
#include "report.h"

#if defined(__SANITIZE_ADDRESS__)
const char *__asan_default_options(void);
void __asan_on_error(void);

/* Report and go on (the build has -fsanitize-recover=address). */
const char *__asan_default_options(void)
{
	return "halt_on_error=0";
}

void __asan_on_error(void)
{
	vh_splat_nostack("BUG: KASAN: invalid access (AddressSanitizer's report follows on stderr; use-after-poison: a freed SLAB_TYPESAFE_BY_RCU object touched after a grace period, without RCU or a reference: SLUB_RCU_DEBUG)");
}
#endif
