// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel functions that the code under test uses and that the kernel
 * defines in files the harness does not compile (mm/mmap.c, mm/util.c,
 * mm/rmap.c, arch/x86/mm; their variables are in mm.c).
 * Each is declared by the tree's own prototype (extracted from its header
 * into build/gen/vma_env.h), so a signature that changes in the tree stops
 * the build here.  Written for the harness: short, and only as faithful as
 * the VMA lock code needs.
 */
#include <stdlib.h>
#include <linux/mm.h>
#include <ksrc/mm/vma.h>
#include "env.h"

/* The overcommit counter of include/linux/mman.h's vm_acct_memory(). */
struct percpu_counter vm_committed_as;

/* arch/x86/mm/pgprot.c: the protection bits are the VM_ access bits here. */
pgprot_t vm_get_page_prot(vm_flags_t vm_flags)
{
	return __pgprot(vm_flags & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED));
}

/* mm/mmap.c, without the write-notify downgrade (no dirty tracking here). */
void vma_set_page_prot(struct vm_area_struct *vma)
{
	WRITE_ONCE(vma->vm_page_prot, vm_get_page_prot(vma->vm_flags));
}

/* mm/mmap.c: the VMA counters of /proc/PID/status. */
void vm_stat_account(struct mm_struct *mm, vm_flags_t flags, long npages)
{
	WRITE_ONCE(mm->total_vm, READ_ONCE(mm->total_vm) + npages);
	if ((flags & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC)
		mm->exec_vm += npages;
	else if (flags & VM_STACK)
		mm->stack_vm += npages;
	else if ((flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE)
		mm->data_vm += npages;
}

/* mm/mmap.c: lookups under mmap_lock. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	unsigned long index = addr;

	mmap_assert_locked(mm);
	return mt_find(&mm->mm_mt, &index, ULONG_MAX);
}

struct vm_area_struct *find_vma_intersection(struct mm_struct *mm,
					     unsigned long start_addr,
					     unsigned long end_addr)
{
	unsigned long index = start_addr;

	mmap_assert_locked(mm);
	return mt_find(&mm->mm_mt, &index, end_addr - 1);
}

/* The VMA at or after @addr, and the one before it. */
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev)
{
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, mm, addr);

	vma = vma_iter_load(&vmi);
	*pprev = vma_prev(&vmi);
	if (!vma)
		vma = vma_next(&vmi);
	return vma;
}

/* mm/util.c */
void vma_set_file(struct vm_area_struct *vma, struct file *file)
{
	vma->vm_file = file;
}

/*
 * mm/rmap.c, as a model: anon_vma_clone() and unlink_anon_vmas() record
 * that they ran on the anon_vma (the reverse map is not modelled), and
 * __anon_vma_prepare() gives the VMA a new anon_vma of its own, kept until
 * the environment shuts down.
 */
static struct anon_vma **vh_anon_vmas;
static size_t vh_nr_anon_vmas;

int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src,
		   enum vma_operation operation)
{
	mmap_assert_write_locked(src->vm_mm);
	if (src->anon_vma)
		src->anon_vma->was_cloned = true;
	return 0;
}

void unlink_anon_vmas(struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		vma->anon_vma->was_unlinked = true;
}

int __anon_vma_prepare(struct vm_area_struct *vma)
{
	struct anon_vma *anon_vma, **all;

	all = realloc(vh_anon_vmas, (vh_nr_anon_vmas + 1) * sizeof(*all));
	anon_vma = calloc(1, sizeof(*anon_vma));
	if (!all || !anon_vma) {
		free(anon_vma);
		return -ENOMEM;
	}
	vh_anon_vmas = all;
	vh_anon_vmas[vh_nr_anon_vmas++] = anon_vma;
	anon_vma->root = anon_vma;
	anon_vma->parent = anon_vma;
	init_rwsem(&anon_vma->rwsem);
	atomic_set(&anon_vma->refcount, 1);
	anon_vma->num_active_vmas = 1;
	/* Paired with the smp_load_acquire() of mm/vma.c's readers. */
	smp_store_release(&vma->anon_vma, anon_vma);
	return 0;
}

void vh_anon_vmas_free(void)
{
	while (vh_nr_anon_vmas)
		free(vh_anon_vmas[--vh_nr_anon_vmas]);
	free(vh_anon_vmas);
	vh_anon_vmas = NULL;
}
