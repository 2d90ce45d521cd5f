// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzer's findings, replayed: each row is a (minimised) input of the
 * fuzz target (fuzz/libfuzzer.c) that once found a bug, as the operations
 * it decodes into, run on the fuzz engine (fuzz/vma_fuzz.c) through the
 * tree's own mm/vma.c, mm/mmap.c and mm/mremap.c and checked after every
 * operation against the engine's reference model of the address space
 * (exact pages, flags, file pages, anon_vma classes, maximal merging).
 * .before is the layout before the last operation, .after the layout
 * after it, as the clean tree makes them (a letter per VMA, upper case
 * writable, '-' free).
 *
 * Rows are written by scripts/fuzz_row.sh from a crash input; every
 * finding becomes one, so that ./vma catches the bug from then on.
 */
#include <string.h>
#include "../shared/kunit/test.h"
#include "../shared/env/report.h"
#include "../fuzz/fuzz.h"
#include "probes.h"		/* VH_HAVE_*: the tree's API, probed */

struct fr_row {
	const char *desc;
	const char *why;
	const struct fz_op *ops;	/* FZ_OPS(...): ends at FZ_OP_END */
	const char *before, *after;
	int known;		/* 1 + the fz_known[] warning it must give */
};

/* The operations, each ending with a comma. */
#define FZ_OPS(...)	.ops = (const struct fz_op[]){ __VA_ARGS__ \
						       { .op = FZ_OP_END } }

static const struct fr_row fr_rows[] = {
	{ .desc = "merge_pgoff_continuity",
	  .why = "a private file mapping over its own tail from another file page: the new VMA's page offsets do not continue the old one's",
	  FZ_OPS(
		{ FZ_OP_FILE, .page = 0, .len = 8, .arg = 0 },
			/* mmap file 1 rw private from page 0 [0, 8) */
		{ FZ_OP_FILE, .page = 5, .len = 3, .arg = 0 },
			/* mmap file 1 rw private from page 0 [5, 8) */
	  ),
	  .before = "AAAAAAAA------------------------",
	  .after  = "AAAAABBB------------------------" },
	{ .desc = "split_pgoff",
	  .why = "mmap over the head of the heap splits it: the part left keeps the page offset of its own first page",
	  FZ_OPS(
		{ FZ_OP_BRK, .page = 1, .len = 2, .arg = 0 },	/* brk [1, 3) */
		{ FZ_OP_MAP, .page = 0, .len = 2, .arg = 0x30 },	/* mmap anon rw [0, 2) */
	  ),
	  .before = "-AA-----------------------------",
	  .after  = "AAB-----------------------------" },
	{ .desc = "new_range_next_anon",
	  .why = "a new mapping between two VMAs with different anon_vmas merges with one side only",
	  FZ_OPS(
		{ FZ_OP_BRK, .page = 28, .len = 5, .arg = 0x7c },	/* brk [28, 32) */
		{ FZ_OP_MADV, .page = 28, .len = 5, .arg = 0x7e },	/* madvise SEQUENTIAL [28, 32) */
		{ FZ_OP_PROT, .page = 28, .len = 5, .arg = 0x57 },	/* mprotect ro [28, 32) */
		{ FZ_OP_GROW, .page = 23, .len = 8, .arg = 0x7c },	/* stack fault at page 23 */
		{ FZ_OP_MADV, .page = 28, .len = 5, .arg = 0x7c },	/* madvise NORMAL [28, 32) */
		{ FZ_OP_MADV, .page = 28, .len = 5, .arg = 0x6 },	/* madvise SEQUENTIAL [28, 32) */
		{ FZ_OP_MAP, .page = 22, .len = 3, .arg = 0x96 },
			/* mmap anon rw MAP_GROWSDOWN [22, 25) */
		{ FZ_OP_MAP, .page = 22, .len = 7, .arg = 0x96 },
			/* mmap anon rw MAP_GROWSDOWN [22, 29) */
		{ FZ_OP_FILE, .page = 31, .len = 8, .arg = 0x7c },
			/* mmap file 2 rw private from page 15 [31, 32) */
		{ FZ_OP_MADV, .page = 28, .len = 5, .arg = 0x7c },	/* madvise NORMAL [28, 32) */
		{ FZ_OP_MADV, .page = 30, .len = 2, .arg = 0x7c },	/* madvise NORMAL [30, 32) */
		{ FZ_OP_MADV, .page = 23, .len = 1, .arg = 0x57 },	/* madvise DONTDUMP [23, 24) */
		{ FZ_OP_FAULT, .page = 28, .len = 8, .arg = 0x7c },
			/* write fault at page 28 under the VMA lock */
		{ FZ_OP_MADV, .page = 28, .len = 5, .arg = 0x7c },	/* madvise NORMAL [28, 32) */
		{ FZ_OP_GROW, .page = 1, .len = 5, .arg = 0x7c },	/* stack fault at page 1 */
		{ FZ_OP_FAULT, .page = 8, .len = 8, .arg = 0x6 },
			/* write fault at page 8 under the VMA lock */
		{ FZ_OP_MAP, .page = 0, .len = 1, .arg = 0 },	/* mmap anon rw [0, 1) */
		{ FZ_OP_MAP, .page = 0, .len = 1, .arg = 0 },	/* mmap anon rw [0, 1) */
		{ FZ_OP_MAP, .page = 0, .len = 1, .arg = 0x80 },	/* mmap anon rw [0, 1) */
		{ FZ_OP_MAP, .page = 0, .len = 1, .arg = 0 },	/* mmap anon rw [0, 1) */
		{ FZ_OP_MAP, .page = 0, .len = 1, .arg = 0 },	/* mmap anon rw [0, 1) */
		{ FZ_OP_MAP, .page = 0, .len = 1, .arg = 0 },	/* mmap anon rw [0, 1) */
		{ FZ_OP_MAP, .page = 0, .len = 1, .arg = 0 },	/* mmap anon rw [0, 1) */
		{ FZ_OP_MAP, .page = 22, .len = 3, .arg = 0x96 },
			/* mmap anon rw MAP_GROWSDOWN [22, 25) */
		{ FZ_OP_MAP, .page = 22, .len = 7, .arg = 0x96 },
			/* mmap anon rw MAP_GROWSDOWN [22, 29) */
	  ),
	  .before = "ABBBBBBBBBBBBBBBBBBBBBBBBCCCCddE",
	  .after  = "ABBBBBBBBBBBBBBBBBBBBBBBBBBBBccD" },
	{ .desc = "fork_file_vmas",
	  .why = "four forks of an mm with nine VMAs of one file: parent's and child's VMAs in the file's i_mmap at once (the environment's model held 16)",
	  FZ_OPS(
		{ FZ_OP_FILE, .page = 29, .len = 1, .arg = 0 },
			/* mmap file 1 rw private from page 0 [29, 30) */
		{ FZ_OP_FILE, .page = 23, .len = 1, .arg = 0 },
			/* mmap file 1 rw private from page 0 [23, 24) */
		{ FZ_OP_FAULT, .page = 0, .len = 8, .arg = 0x6f },
			/* write fault at page 0 under mmap_lock */
		{ FZ_OP_FILE, .page = 23, .len = 8, .arg = 0x77 },
			/* mmap file 2 ro shared from page 14 [23, 31) */
		{ FZ_OP_FORK, .page = 23, .len = 5, .arg = 0x77 },	/* fork, then go on in the child */
		{ FZ_OP_FORK, .page = 0, .len = 1, .arg = 0 },	/* fork, then go on in the child */
		{ FZ_OP_FILE, .page = 31, .len = 8, .arg = 0xff },
			/* mmap file 2 ro shared from page 31 [31, 32) */
		{ FZ_OP_UNMAP, .page = 15, .len = 8, .arg = 0x6f },	/* vm_munmap [15, 23) */
		{ FZ_OP_FILE, .page = 15, .len = 6, .arg = 0xc5 },
			/* mmap file 2 ro private from page 24 [15, 21) */
		{ FZ_OP_LOCKALL, .page = 5, .len = 6, .arg = 0xc5 },
			/* mm_take_all_locks(), then drop them */
		{ FZ_OP_LOCKALL, .page = 5, .len = 6, .arg = 0xc5 },
			/* mm_take_all_locks(), then drop them */
		{ FZ_OP_LOCKALL, .page = 5, .len = 6, .arg = 0xc5 },
			/* mm_take_all_locks(), then drop them */
		{ FZ_OP_LOCKALL, .page = 23, .len = 8, .arg = 0x57 },
			/* mm_take_all_locks(), then drop them */
		{ FZ_OP_FORK, .page = 23, .len = 8, .arg = 0x77 },	/* fork, then go on in the child */
		{ FZ_OP_PROT, .page = 23, .len = 8, .arg = 0x2f },	/* mprotect ro [23, 31) */
		{ FZ_OP_MADV, .page = 0, .len = 1, .arg = 0xbc },	/* madvise NORMAL [0, 1) */
		{ FZ_OP_MREMAP, .page = 3, .len = 8, .arg = 0x77, .aux = 16 },
			/* mremap [3, 11) MREMAP_FIXED, same length to 8 pages at 16 */
		{ FZ_OP_FORK, .page = 23, .len = 1, .arg = 0xb8 },	/* fork, then go on in the child */
		{ FZ_OP_MREMAP, .page = 24, .len = 1, .arg = 0xb8, .aux = 16 },
			/* mremap [24, 25) in place to 7 pages at 24, MREMAP_MAYMOVE bottom-up */
		{ FZ_OP_MREMAP, .page = 0, .len = 1, .arg = 0xb8, .aux = 16 },
			/* mremap [0, 1) in place to 7 pages at 0, MREMAP_MAYMOVE bottom-up */
		{ FZ_OP_FILE, .page = 24, .len = 3, .arg = 0xdd },
			/* mmap file 2 ro private from page 27 [24, 27) */
		{ FZ_OP_PROT, .page = 24, .len = 1, .arg = 0xd7 },	/* mprotect ro [24, 25) */
		{ FZ_OP_MREMAP, .page = 24, .len = 1, .arg = 0x77, .aux = 16 },
			/* mremap [24, 25) MREMAP_FIXED, same length to 1 pages at 16 */
		{ FZ_OP_FORK, .page = 23, .len = 8, .arg = 0xb8 },	/* fork, then go on in the child */
		{ FZ_OP_MAP, .page = 24, .len = 1, .arg = 0xb8 },	/* mmap anon rw [24, 25) */
	  ),
	  .before = "-aaaaaabbbbbbb-cdeeee--f-gghhhhi",
	  .after  = "-aaaaaabbbbbbb-cdeeee--fGhhiiiij" },
#ifdef VH_HAVE_COPY_VMA_ANON_PGOFF	/* its own anonymous pgoff: 7.3+ */
	{ .desc = "moved_cow_file_apart",
	  .why = "a faulted private file page moved by mremap keeps its anonymous page index: not merged with the unfaulted neighbours whose file pages it continues",
	  FZ_OPS(
		{ FZ_OP_FILE, .page = 23, .len = 3, .arg = 0 },
			/* mmap file 1 rw private from page 0 [23, 26) */
		{ FZ_OP_FILE, .page = 15, .len = 8, .arg = 0 },
			/* mmap file 1 rw private from page 0 [15, 23) */
		{ FZ_OP_FAULT, .page = 23, .len = 8, .arg = 0x7a },
			/* write fault at page 23 under the VMA lock */
		{ FZ_OP_MREMAP, .page = 24, .len = 1, .arg = 0x55, .aux = 16 },
			/* mremap [24, 25) MREMAP_FIXED to 6 pages at 16 */
	  ),
	  .before = "---------------AAAAAAAABBB------",
	  .after  = "---------------ABBBBBBCD-E------" },
#else
	{ .desc = "moved_cow_file_merged",
	  .why = "without an anonymous pgoff of its own (7.2), a faulted private file page moved by mremap is indexed by vm_pgoff: merged with the neighbours whose file pages it continues",
	  FZ_OPS(
		{ FZ_OP_FILE, .page = 23, .len = 3, .arg = 0 },
			/* mmap file 1 rw private from page 0 [23, 26) */
		{ FZ_OP_FILE, .page = 15, .len = 8, .arg = 0 },
			/* mmap file 1 rw private from page 0 [15, 23) */
		{ FZ_OP_FAULT, .page = 23, .len = 8, .arg = 0x7a },
			/* write fault at page 23 under the VMA lock */
		{ FZ_OP_MREMAP, .page = 24, .len = 1, .arg = 0x55, .aux = 16 },
			/* mremap [24, 25) MREMAP_FIXED to 6 pages at 16 */
	  ),
	  .before = "---------------AAAAAAAABBB------",
	  .after  = "---------------AAAAAAAAB-C------" },
#endif
	{ .desc = "dontunmap_source_apart",
	  .why = "an MREMAP_DONTUNMAP source emptied whole is as never faulted, but is not merged with its neighbour",
	  FZ_OPS(
		{ FZ_OP_MAP, .page = 23, .len = 8, .arg = 0 },	/* mmap anon rw [23, 31) */
		{ FZ_OP_FAULT, .page = 23, .len = 8, .arg = 0x10 },
			/* write fault at page 23 under the VMA lock */
		{ FZ_OP_MAP, .page = 1, .len = 1, .arg = 0xb8 },	/* mmap anon rw [1, 2) */
		{ FZ_OP_MREMAP, .page = 24, .len = 1, .arg = 0xb8, .aux = 16 },
			/* mremap [24, 25) in place to 7 pages at 24, MREMAP_MAYMOVE bottom-up */
		{ FZ_OP_MREMAP, .page = 2, .len = 7, .arg = 0xa2, .aux = 14 },
			/* mremap [2, 9) MREMAP_DONTUNMAP to 7 pages at 14 */
	  ),
	  .before = "-ABBBBBBB--------------C-DDDDDD-",
	  .after  = "-ABBBBBBB-----CCCCCCC--D-EEEEEE-" },
	{ .desc = "merge_removes_no_close",
	  .why = "a madvise() that makes a VMA like its neighbour of a driver with vm_ops->close() leaves them apart: merging would remove one without its close()",
	  FZ_OPS(
		{ FZ_OP_FILE, .page = 0, .len = 32, .arg = 0x7f, .aux = 8 },
			/* mmap file 10 (vm_ops->close()) ro shared from page 15 [0, 32) */
		{ FZ_OP_MADV, .page = 3, .len = 4, .arg = 0x2e },	/* madvise SEQUENTIAL [3, 7) */
		{ FZ_OP_MADV, .page = 7, .len = 25, .arg = 0x2e },	/* madvise SEQUENTIAL [7, 32) */
	  ),
	  .before = "aaabbbbccccccccccccccccccccccccc",
	  .after  = "aaabbbbccccccccccccccccccccccccc" },
	{ .desc = "mdwe_refuses_write_exec",
	  .why = "prctl(2)'s PR_SET_MDWE: a new mapping both writable and executable is refused with -EACCES and maps nothing; a read-only executable one is not",
	  FZ_OPS(
		{ FZ_OP_MAP, .page = 0, .len = 4, .arg = 0, .aux = 2 },	/* mmap anon rwx [0, 4) */
		{ FZ_OP_MAP, .page = 4, .len = 4, .arg = 0, .aux = 6 },
			/* prctl(PR_SET_MDWE), then mmap anon rwx [4, 8) */
		{ FZ_OP_MAP, .page = 4, .len = 4, .arg = 0x1, .aux = 6 },
			/* prctl(PR_SET_MDWE), then mmap anon rox [4, 8) */
	  ),
	  .before = "AAAA----------------------------",
	  .after  = "AAAAbbbb------------------------" },
	{ .desc = "mmap_as_replaced_pages",
	  .why = "an mmap(MAP_FIXED) over mapped pages under RLIMIT_AS: only the pages it adds count against the limit (getrlimit(2)), the ones it replaces do not",
	  FZ_OPS(
		{ FZ_OP_FILE, .page = 3, .len = 3, .arg = 0x1 },
			/* mmap file 1 ro private from page 0 [3, 6) */
		{ FZ_OP_FAIL, .page = 3, .len = 2, .arg = 0xe },
			/* fail: RLIMIT_AS = the pages mapped +2, in the next op */
		{ FZ_OP_FILE, .page = 2, .len = 5, .arg = 0x1 },
			/* mmap file 1 ro private from page 0 [2, 7) */
	  ),
	  .before = "---aaa--------------------------",
	  .after  = "--aaaaa-------------------------" },
	{ .desc = "stack_rlimit",
	  .why = "a stack grows under an RLIMIT_STACK it just fits: getrlimit(2)'s limit is the largest size allowed, so growing to exactly the limit succeeds",
	  FZ_OPS(
		{ FZ_OP_MAP, .page = 8, .len = 4, .arg = 0x2 },
			/* mmap anon rw MAP_GROWSDOWN [8, 12) */
		{ FZ_OP_FAIL, .page = 0, .len = 1, .arg = 0x23 },
			/* fail: RLIMIT_STACK = 8 pages, in the next op */
		{ FZ_OP_GROW, .page = 4, .len = 1, .arg = 0 },	/* stack fault at page 4 */
	  ),
	  .before = "--------AAAA--------------------",
	  .after  = "----AAAAAAAA--------------------" },
	{ .desc = "uffd_ctx_apart",
	  .why = "two userfaultfds registered on the two halves of one mapping: the halves stay apart",
	  FZ_OPS(
		{ FZ_OP_MAP, .page = 19, .len = 4, .arg = 0 },	/* mmap anon rw [19, 23) */
		{ FZ_OP_UFFD, .page = 19, .len = 3, .arg = 0x42 },
			/* userfaultfd 1 UFFDIO_REGISTER MODE_MISSING [19, 22) */
		{ FZ_OP_UFFD, .page = 22, .len = 6, .arg = 0x61 },
			/* userfaultfd 2 UFFDIO_REGISTER MODE_MISSING [22, 28) */
	  ),
	  .before = "-------------------AAAB---------",
	  .after  = "-------------------AAAB---------" },
	{ .desc = "uffd_unregister_merges",
	  .why = "UFFDIO_UNREGISTER of a registered half of a mapping: unregistered, it merges back with the other half",
	  FZ_OPS(
		{ FZ_OP_MAP, .page = 0, .len = 8, .arg = 0 },	/* mmap anon rw [0, 8) */
		{ FZ_OP_UFFD, .page = 4, .len = 4, .arg = 0 },
			/* userfaultfd 1 UFFDIO_REGISTER MODE_MISSING [4, 8) */
		{ FZ_OP_UFFD, .page = 4, .len = 4, .arg = 0x8 },
			/* userfaultfd 1 UFFDIO_UNREGISTER [4, 8) */
	  ),
	  .before = "AAAABBBB------------------------",
	  .after  = "AAAAAAAA------------------------" },
	{ .desc = "special_mapping_dontexpand",
	  .why = "_install_special_mapping() makes a VM_DONTEXPAND VMA: a vdso is never grown by mremap(2), nor merged",
	  FZ_OPS(
		{ FZ_OP_MAP, .page = 0, .len = 4, .arg = 0 },	/* mmap anon rw [0, 4) */
		{ FZ_OP_SPECIAL, .page = 5, .len = 2, .arg = 0 },
			/* _install_special_mapping() vdso-like r-x with pages [5, 7) */
	  ),
	  .before = "AAAA----------------------------",
	  .after  = "AAAA-bb-------------------------" },
	{ .desc = "map_locked_accounted",
	  .why = "mmap(MAP_LOCKED) counts the mapping's pages in mm->locked_vm (what RLIMIT_MEMLOCK limits)",
	  FZ_OPS(
		{ FZ_OP_MAP, .page = 0, .len = 4, .arg = 0 },	/* mmap anon rw [0, 4) */
		{ FZ_OP_FILE, .page = 8, .len = 4, .arg = 0x46, .aux = 0x6 },
			/* mmap file 2 (->mmap_prepare() sets flags) rw shared MAP_LOCKED from page 8 [8, 12) */
	  ),
	  .before = "AAAA----------------------------",
	  .after  = "AAAA----BBBB--------------------" },
	{ .desc = "relocated_stack_pgoff",
	  .why = "exec's relocate_vma_down() moves the stack's pages with their page tables: the VMA keeps the page offset of its first page",
	  FZ_OPS(
		{ FZ_OP_MAP, .page = 16, .len = 8, .arg = 0x2 },
			/* mmap anon rw MAP_GROWSDOWN [16, 24) */
		{ FZ_OP_FAULT, .page = 16, .len = 1, .arg = 0x1 },
			/* write fault at page 16 under mmap_lock */
		{ FZ_OP_RELOCATE, .page = 16, .len = 8, .arg = 0 },
			/* exec's relocate_vma_down() of the VMA at page 16, 8 pages down */
	  ),
	  .before = "----------------AAAAAAAA--------",
	  .after  = "--------AAAAAAAA----------------" },
	/* scripts/fuzz_row.sh adds rows here */
	{ .desc = "known_merge_oom_iterator",
	  .why = "a finding on the clean trees (7.2.12, 7.3.4), fz_known[0]: the mapping between A (no anon_vma) and B (faulted) would merge all three, the anon_vma_chain for A fails, and the new VMA is made with the iterator still on A",
	  FZ_OPS(
		{ FZ_OP_MAP, .page = 0, .len = 8, .arg = 0 },	/* mmap anon rw [0, 8) */
		{ FZ_OP_MAP, .page = 16, .len = 8, .arg = 0 },	/* mmap anon rw [16, 24) */
		{ FZ_OP_FAULT, .page = 16, .len = 1, .arg = 0 },
			/* write fault at page 16 under the VMA lock */
		{ FZ_OP_FAIL, .page = 0, .len = 1, .arg = 0x10 },
			/* fail: anon_vma_chain allocation 1 from now fails, in the next op */
		{ FZ_OP_MAP, .page = 8, .len = 8, .arg = 0 },	/* mmap anon rw [8, 16) */
	  ),
	  .before = "AAAAAAAA--------BBBBBBBB--------",
	  .after  = "AAAAAAAABBBBBBBBCCCCCCCC--------",
	  .known = 1 },
};

static void __attribute__((noreturn)) fr_report(const char *msg,
					       const char *ops,
					       const char *before,
					       const char *after)
{
	const char *nl;

	vh_fail(__FILE__, __LINE__, "fuzz finding: %s", msg);
	vh_diag("ops:");
	for (; *ops; ops = nl + 1) {
		nl = strchrnul(ops, '\n');
		vh_diag("%.*s", (int)(nl - ops), ops);
		if (!*nl)
			break;
	}
	vh_diag("before: \"%s\"", before);
	vh_diag("after:  \"%s\"", after);
	vh_end_test();
}

static void fr_teardown(void *arg __attribute__((unused)))
{
	fz_teardown();
}

static void fr_body(const struct fr_row *row)
{
	struct fz_trace t;

	fz_init(fr_report);
	vh_defer(fr_teardown, NULL);
	fz_run(row->ops, FZ_MAX_OPS, &t);
	VH_EXPECT_STR_EQ(t.before, row->before);
	VH_EXPECT_STR_EQ(t.after, row->after);
	/*
	 * A known kernel warning that no longer comes: the tree fixed it.
	 * Under CONFIG_DEBUG_MAPLE_TREE, MAS_WARN_ON() is not WARN_ON() but a
	 * printed dump (include/linux/maple_tree.h), which fails nothing.
	 */
#ifndef CONFIG_DEBUG_MAPLE_TREE
	if (row->known && !t.known[row->known - 1])
		vh_fail(__FILE__, __LINE__,
			"known warning '%s' did not come: if the tree fixed it, drop fz_known[%d] and this row",
			fz_known[row->known - 1].warn, row->known - 1);
#endif
}

VH_TABLE(fuzz_regress,
	 "mm/vma.c, mm/mmap.c, mm/mremap.c: the fuzzer's findings hold no more: exact pages, page offsets and anon_vmas, maximal merging, after every operation",
	 fr_rows, fr_body);
