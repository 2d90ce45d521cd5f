// SPDX-License-Identifier: GPL-2.0
/*
 * Address spaces, mappings and VMA snapshots for tests, made and changed
 * through the kernel's own mm/vma.c and mm/mmap_lock.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "../env/env.h"
#include "../env/report.h"
#include "../env/uffd_api.h"
#include "../kunit/mode.h"
#include "../kunit/test.h"
#include "../vma/vma.h"
#include "entry.h"
#include "../env/room.h"

VH_ROOM(vma, "kunit env",
	"helpers for tests: address spaces and mappings through mm/vma.c, layout pictures, entry-point contracts, vma_start_write() call sites");

struct mm_struct *vh_mm_new(void)
{
	struct mm_struct *mm = calloc(1, sizeof(*mm));

	if (!mm)
		abort();
	/* As kernel/fork.c's mm_init(). */
	mt_init_flags(&mm->mm_mt, MM_MT_FLAGS);
	mt_set_external_lock(&mm->mm_mt, &mm->mmap_lock);
	atomic_set(&mm->mm_count, 1);
	atomic_set(&mm->mm_users, 1);
	init_rwsem(&mm->mmap_lock);
	mm_lock_seqcount_init(mm);
	rcuwait_init(&mm->vma_writer_wait);
	vh_mm_track(mm);
	return mm;
}

void vh_mm_put(struct mm_struct *mm)
{
	mmdrop(mm);
}

void vh_mm_clear(struct mm_struct *mm)
{
	mmap_write_lock(mm);
	WARN_ON(vh_unmap(mm, 0, TASK_SIZE));
	WARN_ON(mm->map_count);
	mmap_write_unlock(mm);
	/* RCU readers may still look at the tree's nodes. */
	synchronize_rcu();
}

/*
 * Each mm/vma.c operation returns with the locks and the RCU nesting it was
 * called with (shared/vma/entry.c).
 */
#define VH_ENTRY(fn, call) ({						\
	struct vh_entry __e;						\
	__typeof__(call) __r;						\
									\
	vh_entry_begin(&__e, fn, __FILE__, __LINE__);			\
	__r = (call);							\
	vh_entry_end(&__e, NULL, 0);					\
	__r;								\
})

int vh_map_file(struct mm_struct *mm, struct file *file, unsigned long start,
		unsigned long end, vm_flags_t flags, unsigned long pgoff)
{
	unsigned long ret;

	current->mm = mm;
#ifdef VH_HAVE_MMAP_REGION_VMA_FLAGS
	ret = VH_ENTRY("mmap_region",
		       mmap_region(file, start, end - start,
				   legacy_to_vma_flags(flags), pgoff, NULL));
#else
	ret = VH_ENTRY("mmap_region",
		       mmap_region(file, start, end - start, flags, pgoff,
				   NULL));
#endif
	return IS_ERR_VALUE(ret) ? (int)ret : 0;
}

int vh_map(struct mm_struct *mm, unsigned long start, unsigned long end,
	   vm_flags_t flags)
{
	return vh_map_file(mm, NULL, start, end, flags, start >> PAGE_SHIFT);
}

int vh_brk(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	VMA_ITERATOR(vmi, mm, addr);
	struct vm_area_struct *brkvma;

	current->mm = mm;
	/* As do_brk()'s callers: the VMA below is the brk area, if any. */
	brkvma = vma_prev(&vmi);
	return VH_ENTRY("do_brk_flags",
			do_brk_flags(&vmi, brkvma, addr, len,
				     legacy_to_vma_flags(0)));
}

struct vm_area_struct *vh_copy_vma(struct vm_area_struct **vmap,
				   unsigned long addr, unsigned long len,
				   pgoff_t pgoff, bool *need_rmap_locks)
{
#ifdef VH_HAVE_COPY_VMA_ANON_PGOFF
	return copy_vma(vmap, addr, len, pgoff, vma_start_anon_pgoff(*vmap),
			need_rmap_locks, false);
#else
	return copy_vma(vmap, addr, len, pgoff, need_rmap_locks, false);
#endif
}

int vh_unmap(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	VMA_ITERATOR(vmi, mm, start);

	current->mm = mm;
	return VH_ENTRY("do_vmi_munmap",
			do_vmi_munmap(&vmi, mm, start, end - start, NULL,
				      false));
}

int vh_protect(struct mm_struct *mm, unsigned long start, unsigned long end,
	       vm_flags_t prot)
{
	const vm_flags_t rwx = VM_READ | VM_WRITE | VM_EXEC;
	struct vm_area_struct *vma, *prev;
	vm_flags_t oldflags, newflags;
	vma_flags_t vma_flags;
	long nrpages = (end - start) >> PAGE_SHIFT;
	VMA_ITERATOR(vmi, mm, start);

	current->mm = mm;
	vma = vma_find(&vmi, end);
	if (!vma || vma->vm_start > start || vma->vm_end < end)
		return -ENOMEM;
	prev = vma_prev(&vmi);
	if (start > vma->vm_start)
		prev = vma;
	vma = vma_find(&vmi, end);

	/* As mprotect_fixup(): a private mapping made writable is charged. */
	oldflags = vma->vm_flags;
	newflags = (oldflags & ~rwx) | (prot & rwx);
	if ((newflags & VM_WRITE) &&
	    !(oldflags & (VM_ACCOUNT | VM_WRITE | VM_SHARED | VM_NORESERVE)))
		newflags |= VM_ACCOUNT;
	vma_flags = legacy_to_vma_flags(newflags);
	vma = VH_ENTRY("vma_modify_flags",
		       vma_modify_flags(&vmi, prev, vma, start, end,
					&vma_flags));
	if (IS_ERR(vma))
		return PTR_ERR(vma);
	/* mprotect_fixup(): the caller changes the flags, write-locked. */
	vma_start_write(vma);
	vma_flags_reset_once(vma, &vma_flags);
	vm_stat_account(mm, oldflags, -nrpages);
	vm_stat_account(mm, newflags, nrpages);
	return 0;
}

static void vh_test_mm_release(void *arg)
{
	struct mm_struct *mm = arg;

	vh_mm_clear(mm);
	vh_mm_put(mm);
}

struct mm_struct *vh_test_mm(void)
{
	struct mm_struct *mm = vh_mm_new();

	vh_defer(vh_test_mm_release, mm);
	return mm;
}

static void vh_restore_stack_guard_gap(void *old)
{
	stack_guard_gap = (unsigned long)old;
}

void vh_test_stack_guard_gap(struct mm_struct *mm, unsigned long gap)
{
	vh_defer(vh_restore_stack_guard_gap, (void *)stack_guard_gap);
	stack_guard_gap = gap;
	current->mm = mm;
}

static void vh_test_uffd_release(void *arg)
{
	struct userfaultfd_ctx **slot = arg;

	vh_uffd_set_hook(NULL, NULL, 0);
	if (*slot)
		vh_uffd_release(*slot);
	*slot = NULL;
}

void vh_test_uffd(struct mm_struct *mm, struct userfaultfd_ctx **slot)
{
	mm->task_size = TASK_SIZE;
	*slot = vh_uffd_new(mm, 0);
	vh_defer(vh_test_uffd_release, slot);
}

static void vh_test_vma_release(void *arg)
{
	struct vm_area_struct *vma = arg;

	if (vma_is_attached(vma)) {
		mmap_write_lock(vma->vm_mm);
		vma_start_write(vma);
		vma_mark_detached(vma);
		mmap_write_unlock(vma->vm_mm);
	}
	vm_area_free(vma);
}

struct vm_area_struct *vh_test_vma(struct mm_struct *mm)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);

	if (vma)
		vh_defer(vh_test_vma_release, vma);
	return vma;
}

int vh_replace(struct mm_struct *mm, unsigned long start, unsigned long end,
	       vm_flags_t flags)
{
	int err = vh_unmap(mm, start, end);

	if (err)
		return err;
	vh_test_vma(mm);
	return vh_map(mm, start, end, flags);
}

void vh_vma_snap(struct vm_area_struct *vma, struct vh_vma_snap *s)
{
	s->start = READ_ONCE(vma->vm_start);
	s->end = READ_ONCE(vma->vm_end);
	s->pgoff = READ_ONCE(vma->vm_pgoff);
	s->flags = READ_ONCE(vma->flags.__vma_flags[0]);
	s->anon_vma = READ_ONCE(vma->anon_vma);
	s->mm = READ_ONCE(vma->vm_mm);
	s->file = READ_ONCE(vma->vm_file);
}

bool vh_vma_snap_same(const struct vh_vma_snap *a,
		      const struct vh_vma_snap *b)
{
	return a->start == b->start && a->end == b->end &&
	       a->pgoff == b->pgoff && a->flags == b->flags &&
	       a->anon_vma == b->anon_vma && a->mm == b->mm &&
	       a->file == b->file;
}

bool vh_writer_vs_reader(struct vh_thread *writer, const int *done,
			 struct vm_area_struct *vma,
			 const struct vh_vma_snap *before, bool waits)
{
	struct vh_vma_snap now;
	bool blocked;

	/* Until the writer sleeps (waiting for the reader) or is done. */
	blocked = vh_wait_blocked(vh_thread_task(writer), 0, done);
	vh_vma_snap(vma, &now);
	if (waits && !blocked)
		VH_FAIL("the writer did not wait for the reader of [%#lx-%#lx): no vma_start_write() before it changed it",
			before->start, before->end);
	if (!waits && blocked)
		VH_FAIL("the writer waited for the reader of [%#lx-%#lx), which it does not change",
			before->start, before->end);
	if (!vh_vma_snap_same(before, &now))
		VH_FAIL("read-locked VMA changed under the reader: [%#lx-%#lx) pgoff %#lx flags %#lx file %p anon_vma %p -> [%#lx-%#lx) pgoff %#lx flags %#lx file %p anon_vma %p",
			before->start, before->end, before->pgoff,
			before->flags, before->file, before->anon_vma,
			now.start, now.end, now.pgoff, now.flags, now.file,
			now.anon_vma);
	return blocked;
}

struct kmem_cache *vh_vma_cache(void)
{
	return vh_kmem_cache_find("vm_area_struct");
}

