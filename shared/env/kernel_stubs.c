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
#include "report.h"

/* The overcommit counter of include/linux/mman.h's vm_acct_memory(). */
struct percpu_counter vm_committed_as;

/* arch/x86/mm/pgprot.c: the protection bits are the VM_ access bits here. */
pgprot_t vm_get_page_prot(vm_flags_t vm_flags)
{
	return __pgprot(vm_flags & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED));
}

/*
 * security/commoncap.c: an address below dac_mmap_min_addr needs
 * CAP_SYS_RAWIO, which the harness's tasks have (capable() is true).
 */
int cap_mmap_addr(unsigned long addr __always_unused)
{
	return 0;
}

/*
 * mm/shmem.c: where a shared anonymous mapping goes; not modelled (mremap()
 * of such a VMA passes its shmem file, whose get_unmapped_area is NULL).
 */
unsigned long shmem_get_unmapped_area(struct file *file __always_unused,
				      unsigned long addr __always_unused,
				      unsigned long len __always_unused,
				      unsigned long pgoff __always_unused,
				      unsigned long flags __always_unused)
{
	vh_report("WARN", __FILE__, __LINE__,
		  "shmem_get_unmapped_area(): shared anonymous memory is not modelled");
	return -ENOMEM;
}

/*
 * mm/gup.c: faulting in the pages of a VM_LOCKED range (mremap() of an
 * mlocked VMA); there are no page tables to fill.
 */
int __mm_populate(unsigned long start __always_unused,
		  unsigned long len __always_unused,
		  int ignore_errors __always_unused)
{
	return 0;
}

/* mm/util.c: the VMA takes a reference to @file and drops its old one. */
void vma_set_file(struct vm_area_struct *vma, struct file *file)
{
	struct file *old = vma->vm_file;

	vma->vm_file = get_file(file);
	if (old)
		fput(old);
}

/* fs/file_table.c: the test that made the file holds the last reference. */
void fput(struct file *file)
{
	if (atomic_dec_return(&file->vh_count) < 0)
		vh_report("WARN", __FILE__, __LINE__,
			  "file %p: a reference dropped that was never taken",
			  file);
}

/*
 * mm/interval_tree.c, as a set: the i_mmap tree of a mapping holds each of
 * its VMAs once, and is changed only with i_mmap_rwsem held for write
 * (include/linux/fs.h; rmap walkers hold it for read).
 */
static bool vh_i_mmap_locked(struct address_space *mapping,
			     const char *what, const char *file, int line)
{
	if (READ_ONCE(mapping->i_mmap_rwsem.owner) == current)
		return true;
	vh_report("WARN", file, line,
		  "i_mmap tree changed (%s) without the mapping's i_mmap_rwsem held for write",
		  what);
	return false;
}

static int vh_i_mmap_find(struct address_space *mapping,
			  struct vm_area_struct *vma)
{
	unsigned int i;

	for (i = 0; i < mapping->vh_nr_i_mmap; i++)
		if (mapping->vh_i_mmap[i] == vma)
			return i;
	return -1;
}

void vh_i_mmap_insert(struct vm_area_struct *vma,
		      struct address_space *mapping, const char *file, int line)
{
	vh_i_mmap_locked(mapping, "insert", file, line);
	if (vh_i_mmap_find(mapping, vma) >= 0) {
		vh_report("WARN", file, line,
			  "VMA [%#lx-%#lx) inserted twice into the i_mmap tree",
			  vma->vm_start, vma->vm_end);
		return;
	}
	if (mapping->vh_nr_i_mmap == VH_I_MMAP_MAX) {
		vh_report("WARN", file, line,
			  "the model of the i_mmap tree holds %d VMAs at most",
			  VH_I_MMAP_MAX);
		return;
	}
	mapping->vh_i_mmap[mapping->vh_nr_i_mmap++] = vma;
}

void vh_i_mmap_remove(struct vm_area_struct *vma,
		      struct address_space *mapping, const char *file, int line)
{
	int i;

	vh_i_mmap_locked(mapping, "remove", file, line);
	i = vh_i_mmap_find(mapping, vma);
	if (i < 0) {
		vh_report("WARN", file, line,
			  "VMA [%#lx-%#lx) removed from an i_mmap tree it is not in",
			  vma->vm_start, vma->vm_end);
		return;
	}
	mapping->vh_i_mmap[i] = mapping->vh_i_mmap[--mapping->vh_nr_i_mmap];
}

/*
 * mm/memory.c: there are no page tables to free, but first each VMA goes
 * from the reverse maps (write-locked, if mmap_lock is held for write), as
 * there: its anon_vma chains and its place in its file's i_mmap tree.
 * Trees whose free_pgtables() takes no struct unmap_desc (UNMAP_STATE()
 * comes with it) are not modelled.
 */
void vh_free_pgtables(struct mmu_gather *tlb __always_unused, void *desc, ...)
{
#ifdef UNMAP_STATE
	struct unmap_desc *unmap = desc;
	struct unlink_vma_file_batch vb;
	struct vm_area_struct *vma;

	unlink_file_vma_batch_init(&vb);
	for (vma = unmap->first; vma;
	     vma = mas_find(unmap->mas, unmap->tree_end - 1)) {
		/* Not a call site of mm/vma.c (shared/vma/sites.c). */
		if (unmap->mm_wr_locked)
			(vma_start_write)(vma);
		unlink_anon_vmas(vma);
		unlink_file_vma_batch_add(&vb, vma);
	}
	unlink_file_vma_batch_final(&vb);
#endif
}

/*
 * mm/rmap.c, as a model.  The anon_vmas that __anon_vma_prepare() makes
 * (vh_env) are kept as mm/rmap.c keeps them: a VMA links to each by an
 * anon_vma_chain, its interval tree is the number of chains in it, and
 * their counts (num_children, num_active_vmas) move as there; they are
 * kept until the environment shuts down.  Upstream's tests make anon_vmas
 * of their own: for those, anon_vma_clone() and unlink_anon_vmas() only
 * record that they ran (was_cloned, was_unlinked), as upstream's stubs do.
 */
static struct anon_vma **vh_anon_vmas;
static size_t vh_nr_anon_vmas;

static bool vh_anon_vma_modelled(struct anon_vma *anon_vma)
{
	return anon_vma && anon_vma->vh_env;
}

void vh_anon_rmap_insert(struct anon_vma_chain *avc __always_unused,
			 struct anon_vma *anon_vma, const char *file, int line)
{
	if (!vh_anon_vma_modelled(anon_vma))
		return;
	if (READ_ONCE(anon_vma->root->rwsem.owner) != current)
		vh_report("WARN", file, line,
			  "anon_vma interval tree changed (insert) without the root anon_vma's rwsem held for write");
	anon_vma->vh_nr_avcs++;
}

void vh_anon_rmap_remove(struct anon_vma_chain *avc __always_unused,
			 struct anon_vma *anon_vma, const char *file, int line)
{
	if (!vh_anon_vma_modelled(anon_vma))
		return;
	if (READ_ONCE(anon_vma->root->rwsem.owner) != current)
		vh_report("WARN", file, line,
			  "anon_vma interval tree changed (remove) without the root anon_vma's rwsem held for write");
	if (!anon_vma->vh_nr_avcs) {
		vh_report("WARN", file, line,
			  "anon_vma_chain removed from an empty anon_vma interval tree");
		return;
	}
	anon_vma->vh_nr_avcs--;
}

static struct anon_vma *vh_anon_vma_alloc(void)
{
	struct anon_vma *anon_vma, **all;

	all = realloc(vh_anon_vmas, (vh_nr_anon_vmas + 1) * sizeof(*all));
	if (!all)
		return NULL;
	vh_anon_vmas = all;
	anon_vma = calloc(1, sizeof(*anon_vma));
	if (!anon_vma)
		return NULL;
	vh_anon_vmas[vh_nr_anon_vmas++] = anon_vma;
	anon_vma->root = anon_vma;
	anon_vma->parent = anon_vma;
	anon_vma->vh_env = true;
	init_rwsem(&anon_vma->rwsem);
	atomic_set(&anon_vma->refcount, 1);
	return anon_vma;
}

static struct anon_vma_chain *vh_avc_link(struct vm_area_struct *vma,
					  struct anon_vma *anon_vma)
{
	struct anon_vma_chain *avc = calloc(1, sizeof(*avc));

	if (!avc)
		return NULL;
	avc->vma = vma;
	avc->anon_vma = anon_vma;
	list_add(&avc->same_vma, &vma->anon_vma_chain);
	return avc;
}

int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src,
		   enum vma_operation operation)
{
	struct anon_vma *active = src->anon_vma;
	struct anon_vma_chain *pavc, *avc, *next;

	mmap_assert_write_locked(src->vm_mm);
	if (!active)
		return 0;
	active->was_cloned = true;
	if (!vh_anon_vma_modelled(active))
		return 0;
	/* What mm/rmap.c's check_anon_vma_clone() insists on. */
	WARN_ON_ONCE(!list_empty(&dst->anon_vma_chain));
	WARN_ON_ONCE(operation != VMA_OP_FORK && dst->anon_vma != active);
	list_for_each_entry(pavc, &src->anon_vma_chain, same_vma) {
		if (!vh_avc_link(dst, pavc->anon_vma))
			goto enomem;
	}
	anon_vma_lock_write(active);
	list_for_each_entry(avc, &dst->anon_vma_chain, same_vma)
		anon_rmap_tree_insert(avc, avc->anon_vma);
	if (operation != VMA_OP_FORK)
		dst->anon_vma->num_active_vmas++;
	anon_vma_unlock_write(active);
	return 0;
enomem:
	list_for_each_entry_safe(avc, next, &dst->anon_vma_chain, same_vma) {
		list_del(&avc->same_vma);
		free(avc);
	}
	dst->anon_vma = NULL;
	return -ENOMEM;
}

void unlink_anon_vmas(struct vm_area_struct *vma)
{
	struct anon_vma *active = vma->anon_vma;
	struct anon_vma_chain *avc, *next;

	mmap_assert_locked(vma->vm_mm);
	if (!active) {
		WARN_ON_ONCE(!list_empty(&vma->anon_vma_chain));
		return;
	}
	active->was_unlinked = true;
	if (!vh_anon_vma_modelled(active))
		return;
	anon_vma_lock_write(active);
	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		anon_rmap_tree_remove(avc, avc->anon_vma);
		if (!avc->anon_vma->vh_nr_avcs)
			avc->anon_vma->parent->num_children--;
		list_del(&avc->same_vma);
		free(avc);
	}
	active->num_active_vmas--;
	vma->anon_vma = NULL;
	anon_vma_unlock_write(active);
}

/*
 * As mm/rmap.c's: the anon_vma of a compatible neighbour is reused
 * (find_mergeable_anon_vma()), else a new one is made.
 */
int __anon_vma_prepare(struct vm_area_struct *vma)
{
	struct anon_vma *anon_vma;
	struct anon_vma_chain *avc;

	mmap_assert_locked(vma->vm_mm);
	might_sleep();
	avc = calloc(1, sizeof(*avc));
	if (!avc)
		return -ENOMEM;
	anon_vma = find_mergeable_anon_vma(vma);
	if (!anon_vma) {
		anon_vma = vh_anon_vma_alloc();
		if (!anon_vma) {
			free(avc);
			return -ENOMEM;
		}
		anon_vma->num_children++;	/* its own parent */
	}
	anon_vma_lock_write(anon_vma);
	if (!vma->anon_vma) {
		/* Paired with the READ_ONCE() of reusable_anon_vma(). */
		smp_store_release(&vma->anon_vma, anon_vma);
		avc->vma = vma;
		avc->anon_vma = anon_vma;
		list_add(&avc->same_vma, &vma->anon_vma_chain);
		anon_rmap_tree_insert(avc, anon_vma);
		anon_vma->num_active_vmas++;
		avc = NULL;
	}
	anon_vma_unlock_write(anon_vma);
	/* A new anon_vma left unused stays in vh_anon_vmas until shutdown. */
	free(avc);
	return 0;
}

void vh_anon_vmas_free(void)
{
	while (vh_nr_anon_vmas)
		free(vh_anon_vmas[--vh_nr_anon_vmas]);
	free(vh_anon_vmas);
	vh_anon_vmas = NULL;
}
