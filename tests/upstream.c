// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own VMA tests (upstream's tools/testing/vma: shared.[ch] and
 * the .c files of tests/), compiled from the tree on top of the harness's
 * environment and run against the real per-VMA lock code.  Each upstream
 * TEST() becomes one KTAP test named "upstream.<name>".  Where the tree has
 * no such suite (or the harness replaced it), one skipped test says so.
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
 * than failed (in the test's own thread only); the count is reported per
 * test and in total.
 */
#include "vma_internal.h"
#include "../shared/kunit/test.h"

#ifdef VH_UPSTREAM_SKIP

static const struct { const char *desc, *why; } upstream_none[] = {
	{ .desc = "suite" },
};

static void upstream_none_body(const void *row)
{
}

VH_TABLE_SKIP(upstream,
	      "tools/testing/vma, mm/vma.c: the tree's own tests pass on the real per-VMA locks",
	      upstream_none, upstream_none_body, VH_UPSTREAM_SKIP);

#else /* !VH_UPSTREAM_SKIP */

/*
 * Upstream's shared.h defines CONFIG_DEBUG_MAPLE_TREE itself (empty, in
 * tools/testing/shared/maple-shared.h), as its build always has it; a
 * configuration that sets the symbol (strict) has already defined it as
 * 1 on the command line.  The tree's code tests it with #ifdef only, so
 * its own definition takes over here, as in upstream's build, instead of
 * a redefinition with another value.
 */
#undef CONFIG_DEBUG_MAPLE_TREE
#include <ksrc/tools/testing/vma/shared.h>

/*
 * Upstream's tests make anon_vmas without a root (their stubs never lock
 * one); the real mm/internal.h helpers lock anon_vma->root->rwsem.  In
 * their copy of mm/vma.c, an anon_vma without a root is its own root.
 */
static struct anon_vma *upstream_anon_vma(struct anon_vma *anon_vma)
{
	if (!anon_vma->root)
		anon_vma->root = anon_vma;
	return anon_vma;
}
#define anon_vma_lock_write(a)	anon_vma_lock_write(upstream_anon_vma(a))
#define anon_vma_unlock_write(a) anon_vma_unlock_write(upstream_anon_vma(a))
#define anon_vma_lock_read(a)	anon_vma_lock_read(upstream_anon_vma(a))
#define anon_vma_unlock_read(a)	anon_vma_unlock_read(upstream_anon_vma(a))

/*
 * Its tests observe what its own anon_vma stubs do to its dummy anon_vmas:
 * its copy of mm/vma.c calls those (from its include/custom.h,
 * scripts/build/upstream.stubs), not mm/rmap.c's.
 */
#define unlink_anon_vmas	upstream_unlink_anon_vmas
#define anon_vma_clone		upstream_anon_vma_clone
#define __anon_vma_prepare	upstream___anon_vma_prepare
#include "upstream_stubs.c"

#include <ksrc/mm/vma_init.c>
#include <ksrc/mm/vma_exec.c>
#include <ksrc/mm/vma.c>

/*
 * Its shared.c may define its own copies of functions the environment has
 * (7.2's defines vma_set_range()): those are renamed
 * (build/gen/upstream_clash.h).
 */
#include "upstream_clash.h"
#include <ksrc/tools/testing/vma/shared.c>

/* The two helpers shared.h declares for upstream's main.c to define. */
struct vm_area_struct *merge_existing(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *vma = vma_merge_existing_range(vmg);

	if (vma)
		vma_assert_attached(vma);
	return vma;
}

int attach_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	int err = vma_link(mm, vma);

	if (!err)
		vma_assert_attached(vma);
	return err;
}

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
		VH_FAIL("upstream test_%s() failed (see its message on stderr)",
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
	vh_register_table(__FILE__, "upstream",
			  "tools/testing/vma, mm/vma.c: the tree's own tests pass on the real per-VMA locks",
			  upstream_rows, upstream_nr, sizeof(*upstream_rows),
			  offsetof(struct upstream_row, desc), VH_NO_WHY,
			  upstream_body, NULL);
}

#endif /* VH_UPSTREAM_SKIP */
