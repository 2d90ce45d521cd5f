/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzz target's input format (fuzz/vma_fuzz.c): four bytes per
 * operation, decoded here so that the target and the table of regression
 * rows read inputs alike.
 */
#ifndef _VH_FUZZ_H
#define _VH_FUZZ_H

#include <stdint.h>
#include <stdio.h>

#define FZ_PAGES	32	/* the window, in pages from VH_BASE */
#define FZ_MAX_OPS	64

enum fz_opcode {
	FZ_OP_MAP, FZ_OP_FILE, FZ_OP_UNMAP, FZ_OP_PROT, FZ_OP_MADV,
	FZ_OP_BRK, FZ_OP_GROW, FZ_OP_FAULT,
	FZ_OP_MREMAP,	/* reserved: mm/mremap.c is not built here yet */
	FZ_OP_FORK,	/* reserved: dup_mmap() is not built here yet */
	FZ_NR_OPS
};

struct fz_op {
	int op, page, len, arg;
};

static inline void fz_decode(const uint8_t *b, struct fz_op *op)
{
	op->op = b[0] % FZ_NR_OPS;
	op->page = b[1] % FZ_PAGES;
	op->len = 1 + b[2] % 8;
	op->arg = b[3];
}

void fz_describe(FILE *f, const uint8_t *in, size_t len, size_t upto);

#endif /* _VH_FUZZ_H */
