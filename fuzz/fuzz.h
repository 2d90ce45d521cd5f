/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzz engine's interface (fuzz/vma_fuzz.c): the input format, four
 * bytes per operation, and the runner that both the libFuzzer target
 * (fuzz/libfuzzer.c, make FUZZ=1) and the regression table
 * (tests/fuzz_regress.c, in ./vma) call.
 */
#ifndef _VH_FUZZ_H
#define _VH_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define FZ_PAGES	32	/* the window, in pages from VH_BASE */
#define FZ_MAX_OPS	64

/* The op codes; the numbers are the input format: append, never renumber. */
enum fz_opcode {
	FZ_OP_MAP, FZ_OP_FILE, FZ_OP_UNMAP, FZ_OP_PROT, FZ_OP_MADV,
	FZ_OP_BRK, FZ_OP_GROW, FZ_OP_FAULT, FZ_OP_MREMAP, FZ_OP_FORK,
	FZ_OP_LOCKALL,
	FZ_OP_FAIL,
	FZ_OP_UFFD,
	FZ_OP_SPECIAL, FZ_OP_RELOCATE,
	FZ_NR_OPS,
	FZ_OP_END = -1		/* ends a table row's list */
};

/*
 * mremap's argument: bits 0-1 the form, bits 2-4 the new length - 1; for
 * FZ_MR_INPLACE, bit 5 adds MREMAP_MAYMOVE (where it cannot grow in place
 * it moves where get_unmapped_area() says) and bit 6 makes the mm's search
 * top-down for the rest of the run (MMF_TOPDOWN, from the window's top)
 * rather than bottom-up (from its base).
 */
#define FZ_MR_MAYMOVE	0x20
#define FZ_MR_TOPDOWN	0x40
enum fz_mremap_form {
	FZ_MR_INPLACE,		/* no flags: shrink or grow where it is */
	FZ_MR_FIXED,		/* MREMAP_MAYMOVE | MREMAP_FIXED to .aux */
	FZ_MR_DONTUNMAP,	/* ... | MREMAP_DONTUNMAP, the same length */
	FZ_MR_MOVE,		/* MREMAP_MAYMOVE | MREMAP_FIXED, same length */
};

/*
 * FZ_OP_FAIL's argument: bits 0-1 what fails in the next operation (enum
 * fz_fail_kind), bits 2-7 how (see fuzz/vma_fuzz.c's header).
 */
enum fz_fail_kind {
	FZ_FAIL_SLAB,		/* the nth VMA allocation from now */
	FZ_FAIL_MAP_COUNT,	/* vm.max_map_count near map_count */
	FZ_FAIL_AS,		/* RLIMIT_AS near the pages mapped */
	FZ_FAIL_STACK,		/* RLIMIT_STACK of a few pages */
};

/*
 * uffd's argument: bit 0 which of two userfaultfd contexts, bits 1-3 the
 * action (enum fz_uffd_action).
 */
enum fz_uffd_action {
	FZ_UF_MISSING, FZ_UF_MISSING2, FZ_UF_MISSING3,	/* MODE_MISSING */
	FZ_UF_MISSING_WP,	/* UFFDIO_REGISTER_MODE_MISSING | MODE_WP */
	FZ_UF_UNREG, FZ_UF_UNREG2,	/* UFFDIO_UNREGISTER */
	FZ_UF_CLOSE,		/* close(): userfaultfd_release_all() */
	FZ_UF_WP,		/* UFFDIO_REGISTER_MODE_WP */
};

/*
 * A file mapping's kind (the file op's .aux bits 0-1, or bit 3): how the
 * file's mmap hook treats the new mapping.  Each kind has two files (arg
 * bit 2).
 */
#define FZ_AUX_LOCKED		0x1	/* map: MAP_LOCKED */
#define FZ_AUX_EXEC		0x2	/* map: PROT_EXEC */
#define FZ_AUX_MDWE		0x4	/* map: prctl(PR_SET_MDWE) first */
#define FZ_AUX_FILE_LOCKED	0x4	/* file: MAP_LOCKED */
#define FZ_AUX_CLOSE		0x8	/* file: FZ_FILE_CLOSE, whatever 0-1 say */
enum fz_file_kind {
	FZ_FILE_PREPARE,	/* ->mmap_prepare() sets vm_ops only */
	FZ_FILE_LEGACY,		/* a legacy ->mmap(): fails -ENODEV (file 1),
				 * sets vm_ops (file 2) */
	FZ_FILE_FLAGS,		/* ->mmap_prepare() adds VM_DONTEXPAND (file 1)
				 * or VM_DONTDUMP (file 2) */
	FZ_FILE_FAILS,		/* ->mmap_prepare() fails: -EINVAL (file 1),
				 * -ENOMEM (file 2) */
	FZ_FILE_CLOSE,		/* vm_ops with open() and close() (.aux
				 * bit 3) */
	FZ_NR_FILE_KINDS
};

/*
 * The special op's argument: bit 0 insert_vm_struct() of an anonymous VMA
 * (exec's stack) rather than _install_special_mapping(); bit 1 for the
 * stack MAP_GROWSDOWN-like VM_GROWSDOWN, for a special mapping read-only
 * vvar-like flags rather than vdso-like ones; bit 2 the special mapping
 * with .fault and .mremap hooks rather than a pages array.
 */
#define FZ_SP_INSERT	0x1
#define FZ_SP_ALT	0x2
#define FZ_SP_HOOKS	0x4

/**
 * struct fz_op - one decoded operation
 * @op:		enum fz_opcode
 * @page:	its first page in the window
 * @len:	its length in pages (1..8 from an input; clipped to the window)
 * @arg:	what else it takes (see fuzz/vma_fuzz.c's header)
 * @aux:	the length byte's upper five bits (0..31): mremap's
 *		destination page; for map, FZ_AUX_LOCKED, FZ_AUX_EXEC,
 *		FZ_AUX_MDWE; for file, bits 0-1 the file's kind (enum
 *		fz_file_kind), FZ_AUX_FILE_LOCKED, FZ_AUX_CLOSE; for unmap, see
 *		fuzz/vma_fuzz.c's header
 * @whole:	the page byte's bit 5: the operation covers the whole VMA
 *		or hole that @page is in, not [@page, @page + @len) (for the
 *		operations fz_whole() names; fz_run() puts the range it
 *		resolved into @page and @len, and clears @whole)
 */
struct fz_op {
	int op, page, len, arg, aux;
	bool whole;
};

static inline void fz_decode(const uint8_t *b, struct fz_op *op)
{
	op->op = b[0] % FZ_NR_OPS;
	op->page = b[1] % FZ_PAGES;
	op->whole = (b[1] / FZ_PAGES) & 1;
	op->len = 1 + b[2] % 8;
	op->aux = (b[2] / 8) % FZ_PAGES;
	op->arg = b[3];
}

/* The four bytes that decode into @op (the first such). */
static inline void fz_encode(const struct fz_op *op, uint8_t *b)
{
	b[0] = op->op;
	b[1] = op->page + FZ_PAGES * op->whole;
	b[2] = op->len - 1 + 8 * op->aux;
	b[3] = op->arg;
}

/**
 * struct fz_known - a kernel warning found on clean trees (fz_known[])
 * @warn:	text the report names (vh_expect_warn_maybe())
 * @why:	why it is the kernel's, in one line
 */
struct fz_known {
	const char *warn;
	const char *why;
};

#define FZ_NR_KNOWN	1
extern const struct fz_known fz_known[FZ_NR_KNOWN];
/* How many times known warning @k came in this process so far. */
unsigned long fz_known_hits(int k);

/**
 * struct fz_trace - what a run leaves for its caller
 * @before:	the layout before the last operation (a picture)
 * @after:	the layout after it
 * @ran:	the operations as they ran (whole ranges resolved)
 * @nr_ran:	how many
 * @known:	how many times each known warning came (fz_known[])
 */
struct fz_trace {
	char before[FZ_PAGES + 1];
	char after[FZ_PAGES + 1];
	struct fz_op ran[FZ_MAX_OPS];
	int nr_ran;
	int known[FZ_NR_KNOWN];
};

/*
 * What a finding calls: @msg the broken rule, @ops the decoded operations
 * up to the failing one, @before and @after the layouts around it.  It
 * does not return (the target abort()s, a test ends).
 */
typedef void (*fz_report_fn)(const char *msg, const char *ops,
			     const char *before, const char *after);

void fz_init(fz_report_fn report);
/* Run @n operations (or up to FZ_OP_END) on a new mm, checked after each. */
void fz_run(const struct fz_op *ops, int n, struct fz_trace *trace);
/* Tear down what a run left (its mm); also after a finding ended it. */
void fz_teardown(void);
/* One operation in words. */
void fz_describe_op(const struct fz_op *op, char *buf, size_t len);
/* The operations, one a line, each indented by @indent. */
void fz_describe(FILE *f, const struct fz_op *ops, int n, const char *indent);
extern const char *const fz_op_names[FZ_NR_OPS];

#endif /* _VH_FUZZ_H */
