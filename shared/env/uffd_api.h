/* SPDX-License-Identifier: GPL-2.0 */
/*
 * userfaultfd for the tests: the tree's own mm/userfaultfd.c ioctl
 * handlers (UFFDIO_REGISTER, UFFDIO_UNREGISTER, UFFDIO_COPY,
 * UFFDIO_ZEROPAGE, UFFDIO_MOVE), called as userfaultfd_ioctl() calls
 * them, on a context made as new_userfaultfd() makes one.  Below the VMA
 * there is nothing (shared/env/uffd.h): where the kernel would install or
 * move PTEs, a hook tells the test which VMAs it was handed.  The unit is
 * build/gen/kx/userfaultfd.c (scripts/build/units/userfaultfd.names).
 */
#ifndef _VH_ENV_UFFD_API_H
#define _VH_ENV_UFFD_API_H

#include <stdbool.h>

struct mm_struct;
struct vm_area_struct;
struct userfaultfd_ctx;

/* Where the page-level work would run. */
enum vh_uffd_point {
	VH_UFFD_INSTALL,	/* a fill installs a PTE in @dst */
	VH_UFFD_MOVE,		/* a move carries PTEs from @src to @dst */
};

/**
 * typedef vh_uffd_hook_fn - called where the page-level work would run
 * @arg:	what vh_uffd_set_hook() was given
 * @point:	which work
 * @dst:	the VMA filled, or moved into
 * @src:	the VMA moved from (NULL for a fill)
 */
typedef void (*vh_uffd_hook_fn)(void *arg, enum vh_uffd_point point,
				struct vm_area_struct *dst,
				struct vm_area_struct *src);

/**
 * vh_uffd_set_hook() - set the hook, and how often a copy faults
 * @fn:		the hook, or NULL
 * @arg:	its argument
 * @copy_faults: how many of the next copies under the lock fault
 *		(mfill_copy_folio_locked()), so that the fill retries the
 *		copy with its locks dropped (mfill_copy_folio_retry())
 */
void vh_uffd_set_hook(vh_uffd_hook_fn fn, void *arg, int copy_faults);

/**
 * vh_uffd_new() - a userfaultfd context on @mm, as new_userfaultfd()
 * @mm:		the address space (a reference is taken)
 * @features:	its UFFD_FEATURE_* bits, as UFFDIO_API would set them
 *
 * Return: the context, released by vh_uffd_release().
 */
struct userfaultfd_ctx *vh_uffd_new(struct mm_struct *mm, unsigned int features);

/**
 * vh_uffd_release() - close the context: userfaultfd_release_all()
 * @ctx:	the context (its last reference is dropped)
 */
void vh_uffd_release(struct userfaultfd_ctx *ctx);

/* The ioctls: 0 or a negative errno, as userfaultfd_ioctl() returns. */
int vh_uffd_register(struct userfaultfd_ctx *ctx, unsigned long start,
		     unsigned long len, unsigned int mode);
int vh_uffd_unregister(struct userfaultfd_ctx *ctx, unsigned long start,
		       unsigned long len);
/* @copied/@zeroed/@moved: the bytes done, or the error, as the uapi field. */
long vh_uffd_copy(struct userfaultfd_ctx *ctx, unsigned long dst,
		  unsigned long src, unsigned long len, long *copied);
long vh_uffd_zeropage(struct userfaultfd_ctx *ctx, unsigned long start,
		      unsigned long len, long *zeroed);
long vh_uffd_move(struct userfaultfd_ctx *ctx, unsigned long dst,
		  unsigned long src, unsigned long len, long *moved);

/* The context @vma is registered with (vm_userfaultfd_ctx), or NULL. */
struct userfaultfd_ctx *vh_uffd_vma_ctx(struct vm_area_struct *vma);

#endif /* _VH_ENV_UFFD_API_H */
