// SPDX-License-Identifier: GPL-2.0
/*
 * The common operations of shared/vma/under_reader.h, each a small named
 * callback, as its syscall or kernel caller drives mm/vma.c.  The writer
 * holds what the op's .lock says; [u->start, u->end) is the row's range.
 */
#include <errno.h>
#include <linux/mm.h>
#include "../kunit/test.h"
#include "under_reader.h"

#define VH_SHARED	(VM_SHARED | VM_MAYSHARE)

/* The VMA the op works on: the one at the range's start. */
static struct vm_area_struct *vh_op_vma(struct vh_ur *u)
{
	return vma_lookup(u->mm, u->start);
}

/* MAP_FIXED: mmap_region() unmaps what was there first. */
static int vh_op_map_run(struct vh_ur *u)
{
	const struct vh_ur_row *row = u->row;

	if (u->file)
		return vh_map_file(u->mm, u->file, u->start, u->end,
				   VH_RW | (row->shared ? VH_SHARED : 0),
				   ((u->start - VH_BASE) >> PAGE_SHIFT) +
				   row->pgoff_delta);
	return vh_map(u->mm, u->start, u->end, row->flags ?: VH_RW);
}
const struct vh_op vh_op_map = { "mmap()", VH_OP_MMAP_WRITE, vh_op_map_run };

static int vh_op_unmap_run(struct vh_ur *u)
{
	return vh_unmap(u->mm, u->start, u->end);
}
const struct vh_op vh_op_unmap = {
	"munmap()", VH_OP_MMAP_WRITE, vh_op_unmap_run
};

/* As the syscall: __vm_munmap(unlock) returns with mmap_lock released. */
static int vh_op_vm_munmap_run(struct vh_ur *u)
{
	int ret = __vm_munmap(u->start, u->end - u->start, true);

	VH_EXPECT_FALSE_MSG(rwsem_is_locked(&u->mm->mmap_lock),
			    "__vm_munmap(unlock) returned with mmap_lock held");
	return ret;
}
const struct vh_op vh_op_vm_munmap = {
	"__vm_munmap()", VH_OP_OWN_LOCK, vh_op_vm_munmap_run
};

static int vh_op_protect_run(struct vh_ur *u)
{
	return vh_protect(u->mm, u->start, u->end, u->row->flags);
}
const struct vh_op vh_op_protect = {
	"mprotect()", VH_OP_MMAP_WRITE, vh_op_protect_run
};

/* brk() growing the heap over the range (the VMA below is the brk area). */
static int vh_op_brk_run(struct vh_ur *u)
{
	return vh_brk(u->mm, u->start, u->end - u->start);
}
const struct vh_op vh_op_brk = { "brk()", VH_OP_MMAP_WRITE, vh_op_brk_run };

/* The stack just above the range grows down over it. */
static int vh_op_stack_grow_run(struct vh_ur *u)
{
	struct vm_area_struct *vma = vma_lookup(u->mm, u->end);

	return vma ? expand_downwards(vma, u->start) : -ENOMEM;
}
const struct vh_op vh_op_stack_grow = {
	"expand_downwards()", VH_OP_MMAP_WRITE, vh_op_stack_grow_run
};

/* exec moves the stack VMA of the range down to page .to. */
static int vh_op_relocate_run(struct vh_ur *u)
{
	struct vm_area_struct *vma = vh_op_vma(u);

	if (!vma)
		return -ENOMEM;
	return relocate_vma_down(vma, u->start - (VH_BASE + VH_PG(u->row->to)));
}
const struct vh_op vh_op_relocate = {
	"relocate_vma_down()", VH_OP_MMAP_WRITE, vh_op_relocate_run
};

/* The VMA at the range's start shrinks to end where the range ends. */
static int vh_op_shrink_run(struct vh_ur *u)
{
	struct vm_area_struct *vma = vh_op_vma(u);
	VMA_ITERATOR(vmi, u->mm, u->start);

	if (!vma)
		return -ENOMEM;
#ifdef VH_HAVE_VMA_SHRINK_END
	return vma_shrink(&vmi, vma, u->end);
#else
	return vma_shrink(&vmi, vma, vma->vm_start, u->end, vma->vm_pgoff);
#endif
}
const struct vh_op vh_op_shrink = {
	"vma_shrink()", VH_OP_MMAP_WRITE, vh_op_shrink_run
};

static int vh_op_take_all_run(struct vh_ur *u)
{
	int ret = mm_take_all_locks(u->mm);

	if (!ret)
		mm_drop_all_locks(u->mm);
	return ret;
}
const struct vh_op vh_op_take_all = {
	"mm_take_all_locks()", VH_OP_MMAP_WRITE, vh_op_take_all_run
};

/* mremap's copy of the range's VMA to page .to, with its accounting. */
static int vh_op_copy_run(struct vh_ur *u)
{
	struct vm_area_struct *vma = vh_op_vma(u), *new;
	bool need_rmap_locks;

	if (!vma)
		return -ENOMEM;
	new = vh_copy_vma(&vma, VH_BASE + VH_PG(u->row->to),
			  vma->vm_end - vma->vm_start, vma->vm_pgoff,
			  &need_rmap_locks);
	if (!new)
		return -ENOMEM;
	/* mremap's accounting (vrm_stat_account()). */
	vm_stat_account(u->mm, vma->vm_flags, vma_pages(vma));
	return 0;
}
const struct vh_op vh_op_copy = { "copy_vma()", VH_OP_MMAP_WRITE, vh_op_copy_run };

/* mremap expanding in place: the VMA before the range grows over it. */
static int vh_op_extend_run(struct vh_ur *u)
{
	struct vm_area_struct *vma = vma_lookup(u->mm, u->start - 1), *new;
	VMA_ITERATOR(vmi, u->mm, u->start);

	if (!vma)
		return -ENOMEM;
	new = vma_merge_extend(&vmi, vma, u->end - u->start);
	if (new != vma)
		return -ENOMEM;
	vm_stat_account(u->mm, vma->vm_flags, (u->end - u->start) >> PAGE_SHIFT);
	return 0;
}
const struct vh_op vh_op_extend = {
	"vma_merge_extend()", VH_OP_MMAP_WRITE, vh_op_extend_run
};

/* A new VMA over the range, as exec's __bprm_mm_init() sets up its stack. */
static int vh_op_insert_run(struct vh_ur *u)
{
	struct vm_area_struct *new = vm_area_alloc(u->mm);
	int ret;

	if (!new)
		return -ENOMEM;
	new->vm_start = u->start;
	new->vm_end = u->end;
	vm_flags_init(new, VH_RW);
	vma_set_anonymous(new);
	ret = insert_vm_struct(u->mm, new);
	if (ret)
		vm_area_free(new);
	else	/* as _install_special_mapping() */
		vm_stat_account(u->mm, new->vm_flags, vma_pages(new));
	return ret;
}
const struct vh_op vh_op_insert = {
	"insert_vm_struct()", VH_OP_MMAP_WRITE, vh_op_insert_run
};

/* mprotect()-style positioning for the vma_modify_*() calls. */
static struct vm_area_struct *vh_op_modify_find(struct vh_ur *u,
						struct vma_iterator *vmi,
						struct vm_area_struct **prev)
{
	struct vm_area_struct *vma = vma_find(vmi, u->end);

	if (!vma)
		return NULL;
	*prev = vma_prev(vmi);
	if (u->start > vma->vm_start)
		*prev = vma;
	return vma_find(vmi, u->end);
}

static int vh_op_name_run(struct vh_ur *u)
{
	VMA_ITERATOR(vmi, u->mm, u->start);
	struct vm_area_struct *prev = NULL;
	struct vm_area_struct *vma = vh_op_modify_find(u, &vmi, &prev);

	if (!vma)
		return -ENOMEM;
	vma = vma_modify_name(&vmi, prev, vma, u->start, u->end, NULL);
	return IS_ERR(vma) ? PTR_ERR(vma) : 0;
}
const struct vh_op vh_op_name = {
	"vma_modify_name()", VH_OP_MMAP_WRITE, vh_op_name_run
};

static int vh_op_policy_run(struct vh_ur *u)
{
	VMA_ITERATOR(vmi, u->mm, u->start);
	struct vm_area_struct *prev = NULL;
	struct vm_area_struct *vma = vh_op_modify_find(u, &vmi, &prev);

	if (!vma)
		return -ENOMEM;
	vma = vma_modify_policy(&vmi, prev, vma, u->start, u->end, NULL);
	return IS_ERR(vma) ? PTR_ERR(vma) : 0;
}
const struct vh_op vh_op_policy = {
	"vma_modify_policy()", VH_OP_MMAP_WRITE, vh_op_policy_run
};

static int vh_op_uffd_run(struct vh_ur *u)
{
	VMA_ITERATOR(vmi, u->mm, u->start);
	struct vm_area_struct *prev = NULL;
	struct vm_area_struct *vma = vh_op_modify_find(u, &vmi, &prev);
	vma_flags_t flags;

	if (!vma)
		return -ENOMEM;
	flags = vma->flags;
	vma = vma_modify_flags_uffd(&vmi, prev, vma, u->start, u->end,
				    &flags, NULL_VM_UFFD_CTX, false);
	return IS_ERR(vma) ? PTR_ERR(vma) : 0;
}
const struct vh_op vh_op_uffd = {
	"vma_modify_flags_uffd()", VH_OP_MMAP_WRITE, vh_op_uffd_run
};

/* A fault prepares the anon_vma under mmap_lock for read. */
static int vh_op_fault_run(struct vh_ur *u)
{
	struct vm_area_struct *vma = vh_op_vma(u);

	return vma ? anon_vma_prepare(vma) : -EFAULT;
}
const struct vh_op vh_op_fault = {
	"anon_vma_prepare()", VH_OP_MMAP_READ, vh_op_fault_run
};
