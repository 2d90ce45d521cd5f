// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own VMA tests (the .c files of KDIR/tools/testing/vma/tests),
 * compiled from the tree and run against the real per-VMA lock code instead of
 * upstream's vm_lock_seq++ stub.  Each upstream TEST() becomes one KTAP test
 * named "upstream.<name>".
 *
 * Upstream's tests call static functions of mm/vma.c, and upstream's
 * shared.h has to precede vma.c so that its vma_iter_prealloc() override
 * (used to inject allocation failures) takes effect: so this translation
 * unit has its own copy of mm/vma_init.c, mm/vma_exec.c and mm/vma.c.  The
 * Makefile makes every symbol it defines local, so that copy serves
 * upstream's tests only; the harness's own tables use the kernel objects
 * built from the same files (build/kernel/mm/).
 *
 * Upstream's tests never take mmap_lock (they use a zeroed mm_struct on the
 * stack), so while they run, "mmap_lock held" assertions are counted rather
 * than failed; the count is reported per test and in total.
 */
#include "vma_internal.h"
#include <ksrc/tools/testing/vma/shared.h>
#include <ksrc/mm/vma_init.c>
#include <ksrc/mm/vma_exec.c>
#include <ksrc/mm/vma.c>
#include <ksrc/tools/testing/vma/shared.c>
#include "upstream_main.h"

#include "../shared/kunit/test.h"

struct upstream_row {
	const char *desc;
	bool (*fn)(void);
};

static struct upstream_row *upstream_rows;
static size_t upstream_nr, upstream_cap;

static void upstream_add(const char *name, bool (*fn)(void))
{
	if (upstream_nr == upstream_cap) {
		upstream_cap = upstream_cap ? 2 * upstream_cap : 64;
		upstream_rows = realloc(upstream_rows,
					upstream_cap * sizeof(*upstream_rows));
		if (!upstream_rows)
			abort();
	}
	upstream_rows[upstream_nr].desc = name;
	upstream_rows[upstream_nr].fn = fn;
	upstream_nr++;
}

#undef TEST
#define TEST(name)	upstream_add(#name, test_##name)
#include "upstream_tests.h"

static void upstream_body(const void *arg)
{
	const struct upstream_row *row = arg;
	unsigned long before = vh_relaxed_lock_assert_count;
	unsigned long relaxed;
	bool ok;

	vh_relaxed_lock_asserts = true;
	ok = row->fn();
	vh_relaxed_lock_asserts = false;
	relaxed = vh_relaxed_lock_assert_count - before;
	if (relaxed)
		vh_diag("relaxed: %lu lock-held assertion(s) (mmap_lock, VMA write lock) not enforced: upstream test holds no mmap_lock",
			relaxed);
	if (!ok)
		vh_fail(__FILE__, __LINE__,
			"upstream test_%s() failed (see its message on stderr)",
			row->desc);
}

static void __attribute__((constructor)) upstream_register(void)
{
	int *num_tests = NULL, *num_fail = NULL;

	/* This copy's VMA cache, as upstream's main() makes it. */
	vma_state_init();

#define X(run)	run(num_tests, num_fail);
	VH_UPSTREAM_RUNNERS
#undef X
	vh_register_table("upstream",
			  "the tree's tools/testing/vma tests pass on the real per-VMA locks",
			  upstream_rows, upstream_nr, sizeof(*upstream_rows),
			  offsetof(struct upstream_row, desc),
			  upstream_body, NULL);
}
