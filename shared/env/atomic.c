// SPDX-License-Identifier: GPL-2.0
/*
 * ThreadSanitizer support (make TSAN=1): the word every barrier touches
 * (linux/atomic.h), and the suppressions built into ./vma, each with its
 * reason.  The code under test (mm/mmap_lock.c, mm/vma.c, the lock and
 * refcount headers) is not suppressed.
 */
int vh_tsan_fence_word;

#ifdef __SANITIZE_THREAD__
const char *__tsan_default_suppressions(void);

const char *__tsan_default_suppressions(void)
{
	return
	/*
	 * lib/maple_tree.c is built, as tools/testing/shared builds it, with
	 * tools/ headers: its rcu_dereference()/rcu_assign_pointer() are
	 * liburcu's volatile accesses, which TSan does not see as atomic, so
	 * every RCU walk of a node being rewritten looks like a race.
	 */
	"race:lib/maple_tree.c\n"
	/*
	 * tools/testing/shared/linux.c frees maple nodes from liburcu's
	 * call_rcu thread after a grace period; liburcu is not instrumented,
	 * so TSan cannot see that the readers' sections ended first.
	 */
	"race:tools/testing/shared/linux.c\n"
	/*
	 * liburcu's read side, inlined with _LGPL_SOURCE, synchronises its
	 * grace-period futex with its own volatile-based atomics, which TSan
	 * does not recognise either.
	 */
	"race:urcu/static/\n"
	/*
	 * The seqcount writer (mm_lock_seq) increments its sequence with a
	 * plain access inside kcsan_nestable_atomic_begin()/end(), which
	 * KCSAN treats as atomic; TSan has no such annotation.
	 */
	"race:do_raw_write_seqcount_begin\n"
	"race:do_raw_write_seqcount_end\n"
	/*
	 * SLAB_TYPESAFE_BY_RCU: a VMA may be freed and initialised again
	 * (the free pointer stored, vma_init(), vm_area_init_from(),
	 * vma_lock_init()) while a lockless reader still reads it; the reader
	 * validates what it read afterwards (vm_refcnt, vm_mm, vm_lock_seq),
	 * as vma_start_read() documents.  Races with these writers are by
	 * design.
	 */
	"race:vh_kmem_cache_free\n"
	"race:vma_init\n"
	"race:vm_area_init_from\n"
	"race:vma_lock_init\n";
}
#endif
