/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One engine for "an mm/vma.c (or caller) operation under a lockless
 * reader" (shared/vma/under_reader.c, the ops in shared/vma/ops.c).
 *
 * A row is data: the address space before (a picture), the reader and the
 * page it holds, the operation and the pages it covers, and what must
 * follow.  The engine sets the picture up, takes the reader's VMA and its
 * snapshot, runs the operation on a writer thread (mmap_lock as the op
 * says, the op, a signal, a wait for the probe, the unlock), checks with
 * vh_writer_vs_reader() that the writer waited for the reader if and only
 * if the row says so and that the VMA did not change under it, releases
 * the reader, then, while the op's write section is still open, checks
 * that a lockless reader gets none of the pages of .probe (they are
 * write-locked), lets the writer finish and joins it; then the op's return
 * value, the picture after, the anon_vmas after and the vma_start_write()
 * sites reached.
 *
 *	{ .desc = "protect_merge_into_prev", .op = &vh_op_protect,
 *	  .flags = VH_PROT_RW, .waits = true,
 *	  .before  = "AAAAbbbb",
 *	  .read_at = " ^      ",
 *	  .range   = "    ****",
 *	  .probe   = "########",
 *	  .after   = "AAAAAAAA",
 *	  .sites   = { "vma_merge_existing_range(middle)" } },
 *
 * Operations are named callbacks (struct vh_op); the common ones are
 * below, and a table of a caller (fork, mremap, the fault path, maps)
 * adds its own next to its rows: a function that does the operation with
 * the locks the op's .lock says are held, and a const struct vh_op.
 */
#ifndef _VH_UNDER_READER_H
#define _VH_UNDER_READER_H

#include "../kunit/test.h"
#include "vma.h"

/* How the reader holds its VMA. */
enum vh_reader {
	VH_READER_LOOKUP,	/* lock_vma_under_rcu() */
	VH_READER_NEXT,		/* lock_next_vma() walk, as /proc/PID/maps */
	VH_READER_UNLOCKED,	/* vma_start_read_unlocked() */
};

/* What the writer thread holds while the op runs. */
enum vh_op_lock {
	VH_OP_MMAP_WRITE,	/* mmap_write_lock(), the write section probed */
	VH_OP_MMAP_READ,	/* mmap_read_lock() (a page fault) */
	VH_OP_OWN_LOCK,		/* nothing: the op locks and unlocks itself */
};

struct vh_ur;

/**
 * struct vh_op - an operation the writer runs
 * @name:	what it is, for messages ("mprotect()")
 * @lock:	what the writer holds around @run
 * @run:	does it on the run's address space; returns 0 or -errno
 */
struct vh_op {
	const char *name;
	enum vh_op_lock lock;
	int (*run)(struct vh_ur *u);
};

/**
 * struct vh_ur_row - a row of a table of operations under a reader
 * @desc:	the test's name
 * @why:	one line: why the row expects what it expects (or NULL)
 * @before:	the address space before (shared/vma/vma.h's pictures)
 * @kind:	what each page's VMA is, under @before: ' ' anonymous, 'b'
 *		made by brk(), 'g' a stack (VM_GROWSDOWN, faulted in: it has
 *		an anon_vma), 'p'/'s' the run's file MAP_PRIVATE/MAP_SHARED
 *		(its page offset is the page's number); NULL: all anonymous
 * @anon:	which VMAs of @before have an anon_vma, by digit: the same
 *		digit shares one (faulted in the digits' order); NULL: none
 * @reader:	how the reader holds its VMA
 * @read_at:	the reader's page: '^'
 * @op:		the operation
 * @range:	the pages it covers: '*'
 * @to:		a destination page (copy, relocation)
 * @flags:	map: VH_RW or VH_RO (0: VH_RW); protect: VH_PROT_RW or _RO
 * @shared:	map of the file: MAP_SHARED
 * @pgoff_delta: map of the file: its page offset minus the page's number
 * @hook:	a table's own setting for its file (file_map: the mmap hook)
 * @waits:	the op changes the reader's VMA, so must wait for the reader
 * @probe:	pages write-locked until the write section ends: '#'
 * @ret:	what the op returns
 * @after:	the address space after
 * @anon_after:	the anon_vmas after, as @anon (NULL: not checked)
 * @sites:	the vma_start_write() call sites it must reach
 *		(shared/vma/sites.h: "function(argument)")
 *
 * The picture is set up as a program would: each VMA mapped read-write
 * (a brk area by brk(), a stack with VM_GROWSDOWN), the lower-case ones
 * then made read-only with mprotect(), then the VMAs of @anon faulted in.
 */
struct vh_ur_row {
	const char *desc;
	const char *why;
	const char *before;
	const char *kind;
	const char *anon;
	enum vh_reader reader;
	const char *read_at;
	const struct vh_op *op;
	const char *range;
	unsigned long to;
	vm_flags_t flags;
	bool shared;
	long pgoff_delta;
	int hook;
	bool waits;
	const char *probe;
	int ret;
	const char *after;
	const char *anon_after;
	const char *sites[3];
};

/**
 * struct vh_ur - one run of a row (test memory: lives until the test ends)
 * @row:	the row
 * @mm:		the address space
 * @file:	the file of 'p' and 's' pages, or NULL
 * @priv:	the caller's, for its own ops
 * @start:	the first address of @row's range
 * @end:	the address after it
 * @ret:	what the op returned
 */
struct vh_ur {
	const struct vh_ur_row *row;
	struct mm_struct *mm;
	struct file *file;
	void *priv;
	unsigned long start, end;
	int ret;
	/* The engine's. */
	int done;
	struct vh_event opdone, probed;
	struct vh_thread *writer;
	struct vm_area_struct *held;
};

/**
 * vh_ur_run() - run @row: set up, reader, writer, probe, checks
 * @row:	the row
 * @file:	the file its 'p' and 's' pages map, or NULL
 * @priv:	handed to the ops (struct vh_ur's @priv)
 *
 * Failures of the setup end the test; the checks of the outcome go on.
 *
 * Return: the run, for the caller's own checks after it.
 */
struct vh_ur *vh_ur_run(const struct vh_ur_row *row, struct file *file,
			void *priv);

/* The body of a table whose rows need nothing else: vh_ur_run(row). */
void vh_ur_body(const struct vh_ur_row *row);

/* Declare the sites @rows drive for ./vma --list -v and --sites. */
void vh_ur_declare(const char *table, const struct vh_ur_row *rows,
		   size_t nr_rows);

/**
 * VH_UR_TABLE_SKIP() - a table of vh_ur_row rows run by vh_ur_body()
 * @_name:	the table's name
 * @_rule:	the kernel rule it checks
 * @_rows:	const struct vh_ur_row rows
 * @_skip:	NULL, or why every row is skipped on this tree
 */
#define VH_UR_TABLE_SKIP(_name, _rule, _rows, _skip)			\
VH_TABLE_SKIP(_name, _rule, _rows, vh_ur_body, _skip)			\
static void __attribute__((constructor)) vh_ur_declare_##_name(void)	\
{									\
	const char *__skip = _skip;					\
									\
	if (!__skip)							\
		vh_ur_declare(#_name, _rows,				\
			      sizeof(_rows) / sizeof((_rows)[0]));	\
}
#define VH_UR_TABLE(_name, _rule, _rows)				\
	VH_UR_TABLE_SKIP(_name, _rule, _rows, NULL)

/*
 * The common operations (shared/vma/ops.c), on the row's range [s, e):
 * each as its syscall or kernel caller does it.
 */
extern const struct vh_op vh_op_map;	   /* mmap(MAP_FIXED) of [s, e) */
extern const struct vh_op vh_op_unmap;	   /* munmap() of [s, e) */
extern const struct vh_op vh_op_vm_munmap; /* __vm_munmap(unlock): downgrades */
extern const struct vh_op vh_op_protect;   /* mprotect() of [s, e) */
extern const struct vh_op vh_op_brk;	   /* brk() growing by [s, e) */
extern const struct vh_op vh_op_stack_grow; /* expand_downwards() to s */
extern const struct vh_op vh_op_relocate;  /* exec's relocate_vma_down() to .to */
extern const struct vh_op vh_op_shrink;	   /* vma_shrink() to [s, e) */
extern const struct vh_op vh_op_take_all;  /* mm_take_all_locks() and drop */
extern const struct vh_op vh_op_copy;	   /* mremap's copy_vma() to .to */
extern const struct vh_op vh_op_extend;	   /* mremap's vma_merge_extend() over [s, e) */
extern const struct vh_op vh_op_insert;	   /* insert_vm_struct() of [s, e) */
extern const struct vh_op vh_op_name;	   /* vma_modify_name() of [s, e) */
extern const struct vh_op vh_op_policy;	   /* vma_modify_policy() of [s, e) */
extern const struct vh_op vh_op_uffd;	   /* vma_modify_flags_uffd() of [s, e) */
extern const struct vh_op vh_op_fault;	   /* a page fault: anon_vma_prepare() */

#endif /* _VH_UNDER_READER_H */
