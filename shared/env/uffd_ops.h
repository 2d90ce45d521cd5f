/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The end of the userfaultfd unit (build/gen/kx/userfaultfd.c): after the
 * functions taken from mm/userfaultfd.c, the stand-ins that shared/env/
 * uffd.h declares (each says what it stands for), and the entry points of
 * shared/env/uffd_api.h, which call the tree's ioctl handlers as
 * userfaultfd_ioctl() does.  Only this unit includes it.
 */
#ifndef _VH_ENV_UFFD_OPS_H
#define _VH_ENV_UFFD_OPS_H

#include "uffd_api.h"

pmd_t vh_uffd_pmd;

static vh_uffd_hook_fn vh_uffd_hook;
static void *vh_uffd_hook_arg;
static int vh_uffd_copy_faults;

void vh_uffd_set_hook(vh_uffd_hook_fn fn, void *arg, int copy_faults)
{
	vh_uffd_hook = fn;
	vh_uffd_hook_arg = arg;
	vh_uffd_copy_faults = copy_faults;
}

static void vh_uffd_call(enum vh_uffd_point point,
			 struct vm_area_struct *dst,
			 struct vm_area_struct *src)
{
	if (vh_uffd_hook)
		vh_uffd_hook(vh_uffd_hook_arg, point, dst, src);
}

struct folio *vh_uffd_folio_alloc(void)
{
	return kzalloc(PAGE_SIZE, GFP_KERNEL);
}

void vh_uffd_folio_put(struct folio *folio)
{
	kfree(folio);
}

/* Page tables: the one PMD, present (include/linux/pgalloc.h). */
static pmd_t *mm_alloc_pmd(struct mm_struct *mm, unsigned long address)
{
	(void)mm;
	(void)address;
	return &vh_uffd_pmd;
}

static int mfill_establish_pmd(struct mfill_state *state)
{
	state->pmd = &vh_uffd_pmd;
	return 0;
}

/*
 * The copy from the source page with page faults disabled, under the
 * locks: it "faults" as often as the test asked, which sends
 * __mfill_atomic_pte() into mfill_copy_folio_retry().
 */
static int mfill_copy_folio_locked(struct folio *folio, unsigned long src_addr)
{
	(void)folio;
	(void)src_addr;
	if (vh_uffd_copy_faults > 0) {
		vh_uffd_copy_faults--;
		return -EFAULT;
	}
	return 0;
}

/* The PTE the copy installs: where the dst VMA must be locked. */
static int mfill_atomic_install_pte(pmd_t *dst_pmd,
				    struct vm_area_struct *dst_vma,
				    unsigned long dst_addr, struct page *page,
				    uffd_flags_t flags)
{
	(void)dst_pmd;
	(void)dst_addr;
	(void)flags;
	vh_uffd_call(VH_UFFD_INSTALL, dst_vma, NULL);
	/* The PTE's reference: no page table keeps it, as if unmapped at once. */
	folio_put(container_of(page, struct folio, page));
	return 0;
}

static int mfill_atomic_pte_zeropage(struct mfill_state *state)
{
	vh_uffd_call(VH_UFFD_INSTALL, state->vma, NULL);
	return 0;
}

/* UFFDIO_CONTINUE and UFFDIO_POISON are not driven (no page cache). */
static int mfill_atomic_pte_continue(struct mfill_state *state)
{
	(void)state;
	WARN_ONCE(1, "vma: UFFDIO_CONTINUE is not modelled");
	return -EOPNOTSUPP;
}

static int mfill_atomic_pte_poison(struct mfill_state *state)
{
	(void)state;
	WARN_ONCE(1, "vma: UFFDIO_POISON is not modelled");
	return -EOPNOTSUPP;
}

/* The PTEs a move carries: where both VMAs must be locked. */
static long move_pages_ptes(struct mm_struct *mm, pmd_t *dst_pmd,
			    pmd_t *src_pmd, struct vm_area_struct *dst_vma,
			    struct vm_area_struct *src_vma,
			    unsigned long dst_addr, unsigned long src_addr,
			    unsigned long len, __u64 mode)
{
	(void)mm;
	(void)dst_pmd;
	(void)src_pmd;
	(void)dst_addr;
	(void)src_addr;
	(void)mode;
	vh_uffd_call(VH_UFFD_MOVE, dst_vma, src_vma);
	return min(len, PAGE_SIZE);
}

/*
 * An event (fork, mremap, munmap, remove) is read by its handler at once:
 * what userfaultfd_event_wait_completion() does after its wait.
 */
static void userfaultfd_event_wait_completion(struct userfaultfd_ctx *ctx,
					      struct userfaultfd_wait_queue *ewq)
{
	(void)ewq;
	atomic_dec(&ctx->mmap_changing);
	userfaultfd_ctx_put(ctx);
}

static void __wake_userfault(struct userfaultfd_ctx *ctx,
			     struct userfaultfd_wake_range *range)
{
	(void)ctx;
	(void)range;
	WARN_ONCE(1, "vma: no userfault waits to be woken");
}

/* new_userfaultfd() without its file. */
struct userfaultfd_ctx *vh_uffd_new(struct mm_struct *mm, unsigned int features)
{
	struct userfaultfd_ctx *ctx;

	if (!userfaultfd_ctx_cachep)
		userfaultfd_ctx_cachep = kmem_cache_create("userfaultfd_ctx_cache",
				sizeof(struct userfaultfd_ctx), 0,
				SLAB_HWCACHE_ALIGN | SLAB_PANIC,
				init_once_userfaultfd_ctx);
	ctx = kmem_cache_alloc(userfaultfd_ctx_cachep, GFP_KERNEL);
	BUG_ON(!ctx);
	refcount_set(&ctx->refcount, 1);
	ctx->flags = 0;
	ctx->features = features | UFFD_FEATURE_INITIALIZED;
	ctx->released = false;
	init_rwsem(&ctx->map_changing_lock);
	atomic_set(&ctx->mmap_changing, 0);
	ctx->mm = mm;
	mmgrab(mm);
	return ctx;
}

/* userfaultfd_release() of its file, without the wake-ups. */
void vh_uffd_release(struct userfaultfd_ctx *ctx)
{
	WRITE_ONCE(ctx->released, true);
	userfaultfd_release_all(ctx->mm, ctx);
	userfaultfd_ctx_put(ctx);
}

int vh_uffd_register(struct userfaultfd_ctx *ctx, unsigned long start,
		     unsigned long len, unsigned int mode)
{
	struct uffdio_register arg = {
		.range = { .start = start, .len = len },
		.mode = mode,
	};

	return userfaultfd_register(ctx, (unsigned long)&arg);
}

int vh_uffd_unregister(struct userfaultfd_ctx *ctx, unsigned long start,
		       unsigned long len)
{
	struct uffdio_range arg = { .start = start, .len = len };

	return userfaultfd_unregister(ctx, (unsigned long)&arg);
}

long vh_uffd_copy(struct userfaultfd_ctx *ctx, unsigned long dst,
		  unsigned long src, unsigned long len, long *copied)
{
	struct uffdio_copy arg = {
		.dst = dst, .src = src, .len = len,
		.mode = UFFDIO_COPY_MODE_DONTWAKE,
	};
	long ret = userfaultfd_copy(ctx, (unsigned long)&arg);

	*copied = arg.copy;
	return ret;
}

long vh_uffd_zeropage(struct userfaultfd_ctx *ctx, unsigned long start,
		      unsigned long len, long *zeroed)
{
	struct uffdio_zeropage arg = {
		.range = { .start = start, .len = len },
		.mode = UFFDIO_ZEROPAGE_MODE_DONTWAKE,
	};
	long ret = userfaultfd_zeropage(ctx, (unsigned long)&arg);

	*zeroed = arg.zeropage;
	return ret;
}

long vh_uffd_move(struct userfaultfd_ctx *ctx, unsigned long dst,
		  unsigned long src, unsigned long len, long *moved)
{
	struct uffdio_move arg = {
		.dst = dst, .src = src, .len = len,
		.mode = UFFDIO_MOVE_MODE_DONTWAKE,
	};
	long ret = userfaultfd_move(ctx, (unsigned long)&arg);

	*moved = arg.move;
	return ret;
}

struct userfaultfd_ctx *vh_uffd_vma_ctx(struct vm_area_struct *vma)
{
	return vma->vm_userfaultfd_ctx.ctx;
}

#ifndef CONFIG_HUGETLB_PAGE
/*
 * mm/userfaultfd.c declares mfill_atomic_hugetlb() without defining it
 * when there is no hugetlb, and relies on the compiler dropping the call
 * (is_vm_hugetlb_page() is constant false).  An -O0 build (--coverage's
 * lines) keeps the call: this lets it link, and it is never reached.
 */
ssize_t mfill_atomic_hugetlb(struct userfaultfd_ctx *ctx,
			     struct vm_area_struct *dst_vma,
			     unsigned long dst_start, unsigned long src_start,
			     unsigned long len, uffd_flags_t flags)
{
	BUG();
}
#endif

#endif /* _VH_ENV_UFFD_OPS_H */
