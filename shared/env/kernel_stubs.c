// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel functions that the code under test uses and that the kernel
 * defines in files the harness neither compiles nor takes functions from
 * (arch/x86/mm, fs/, mm/memory.c, mm/gup.c, kernel/fork.c, security/;
 * their variables are in mm.c), and the checks the environment makes
 * around the reverse maps.
 * Each is declared by the tree's own prototype (extracted from its header
 * into build/gen/vma_env.h), so a signature that changes in the tree stops
 * the build here.  Written for the harness: short, and only as faithful as
 * the VMA lock code needs.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/mm.h>
#include <ksrc/mm/vma.h>
#include "env.h"
#include "report.h"

/* mm/util.c: the overcommit counter of mman.h's vm_acct_memory(). */
struct percpu_counter vm_committed_as;
#ifdef CONFIG_SMP
/* mm/util.c's mm_compute_batch() result for a small machine. */
s32 vm_committed_as_batch = 32;
#endif

/* arch/x86/mm/pgprot.c: the protection bits are the VM_ access bits here. */
pgprot_t vm_get_page_prot(vm_flags_t vm_flags)
{
	return __pgprot(vm_flags & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED));
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
 * The anon_vma interval tree is the tree's (mm/interval_tree.c, compiled
 * as build/kernel/extract/interval_tree.o, whose functions are renamed
 * vh_real_*: 7.3's anon_rmap_tree_*() or the older
 * anon_vma_interval_tree_*()); every change first checks the tree's lock
 * rule: the root anon_vma's rwsem held for write.  Upstream's tests make
 * dummy anon_vmas of their own, whose chains have no VMA, and their stubs
 * never link them into a tree: only mm/rmap.c's (from the anon_vma slab
 * cache) are.
 */
void vh_real_anon_rmap_tree_insert(struct anon_vma_chain *avc,
				   struct anon_vma *anon_vma) __weak;
void vh_real_anon_rmap_tree_remove(struct anon_vma_chain *avc,
				   struct anon_vma *anon_vma) __weak;
void vh_real_anon_vma_interval_tree_insert(struct anon_vma_chain *avc,
					   struct rb_root_cached *root) __weak;
void vh_real_anon_vma_interval_tree_remove(struct anon_vma_chain *avc,
					   struct rb_root_cached *root) __weak;

static bool vh_anon_vma_real(struct anon_vma *anon_vma)
{
	const char *cache;
	const void *base;

	return vh_kmem_cache_object(anon_vma, &cache, &base) &&
	       !strcmp(cache, "anon_vma");
}

static void vh_anon_rmap_locked(struct anon_vma *anon_vma, const char *what,
				const char *file, int line)
{
	if (READ_ONCE(anon_vma->root->rwsem.owner) != current)
		vh_report("WARN", file, line,
			  "anon_vma interval tree changed (%s) without the root anon_vma's rwsem held for write",
			  what);
}

void vh_anon_rmap_insert(struct anon_vma_chain *avc,
			 struct anon_vma *anon_vma, const char *file, int line)
{
	if (!vh_anon_vma_real(anon_vma))
		return;
	vh_anon_rmap_locked(anon_vma, "insert", file, line);
	if (vh_real_anon_rmap_tree_insert)
		vh_real_anon_rmap_tree_insert(avc, anon_vma);
	else
		vh_real_anon_vma_interval_tree_insert(avc, &anon_vma->rb_root);
}

void vh_anon_rmap_remove(struct anon_vma_chain *avc,
			 struct anon_vma *anon_vma, const char *file, int line)
{
	if (!vh_anon_vma_real(anon_vma))
		return;
	vh_anon_rmap_locked(anon_vma, "remove", file, line);
	if (vh_real_anon_rmap_tree_remove)
		vh_real_anon_rmap_tree_remove(avc, anon_vma);
	else
		vh_real_anon_vma_interval_tree_remove(avc, &anon_vma->rb_root);
}

/*
 * What mm/mmap.c calls that needs what the environment does not have:
 * page tables (mm/memory.c, mm/gup.c: none to copy or populate), the
 * executable file of kernel/fork.c (none), shmem (none: a shared
 * anonymous mapping is placed as a private one), the capability check of
 * security/commoncap.c (all granted).
 */
void (*vh_copy_page_range_hook)(struct vm_area_struct *dst,
				struct vm_area_struct *src);

int copy_page_range(struct vm_area_struct *dst_vma,
		    struct vm_area_struct *src_vma)
{
	if (vh_copy_page_range_hook)
		vh_copy_page_range_hook(dst_vma, src_vma);
	return 0;
}

long populate_vma_page_range(struct vm_area_struct *vma __always_unused,
			     unsigned long start __always_unused,
			     unsigned long end __always_unused,
			     int *locked __always_unused)
{
	return 0;
}

int __mm_populate(unsigned long addr __always_unused,
		  unsigned long len __always_unused,
		  int ignore_errors __always_unused)
{
	return 0;
}

void dup_mm_exe_file(struct mm_struct *mm __always_unused,
		     struct mm_struct *oldmm __always_unused)
{
}

unsigned long shmem_get_unmapped_area(struct file *file, unsigned long addr,
				      unsigned long len, unsigned long pgoff,
				      unsigned long flags)
{
	return mm_get_unmapped_area(file, addr, len, pgoff, flags);
}

int cap_mmap_addr(unsigned long addr __always_unused)
{
	return 0;
}

/*
 * lib/vsprintf.c, for mm/mmap.c's boot-time parameter parser (never
 * called here: no command line); libc's parser.
 */
unsigned long simple_strtoul(const char *cp, char **endp, unsigned int base)
{
	return strtoul(cp, endp, base);
}
