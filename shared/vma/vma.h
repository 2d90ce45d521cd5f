/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers built on the kernel's mm/vma.c and mm/mmap_lock.c: address
 * spaces and VMAs set up, changed and torn down through the kernel's own
 * code (shared/vma/address_space.c, shared/vma/layout.c).
 */
#ifndef _VH_VMA_H
#define _VH_VMA_H

#include <linux/mm.h>
#include <ksrc/mm/vma.h>
#include "../env/env.h"
#include "probes.h"

/* A new address space (mm_count 1), and its release. */
struct mm_struct *vh_mm_new(void);
void vh_mm_put(struct mm_struct *mm);
/* Unmap everything (takes mmap_lock for write). */
void vh_mm_clear(struct mm_struct *mm);

/*
 * Real mm/vma.c operations; the caller holds mmap_lock for write.  They
 * return 0 or a negative errno.  vh_map() maps anonymous memory as mmap()
 * does (mmap_region(), merging with neighbours); vh_map_file() maps @file
 * from page @pgoff as do_mmap() hands it to mmap_region() (@flags with
 * VM_SHARED | VM_MAYSHARE for MAP_SHARED); vh_brk() is brk() growing the
 * heap by @len at @addr (do_brk_flags(), the VMA below @addr being the brk
 * area); vh_unmap() is munmap()
 * (do_vmi_munmap()); vh_protect() is what mprotect() does to the VMAs of a
 * range within one VMA: new VM_READ/WRITE/EXEC bits from @flags,
 * vma_modify_flags() (split or merge), then the new flags under the VMA
 * write lock.
 */
int vh_map(struct mm_struct *mm, unsigned long start, unsigned long end,
	   vm_flags_t flags);
int vh_brk(struct mm_struct *mm, unsigned long addr, unsigned long len);
int vh_map_file(struct mm_struct *mm, struct file *file, unsigned long start,
		unsigned long end, vm_flags_t flags, unsigned long pgoff);
/*
 * mremap()'s copy_vma() of *@vmap to @addr, @len bytes from page @pgoff,
 * its anon_vma offset kept as mremap() keeps it, whichever form the tree's
 * copy_vma() has.
 */
struct vm_area_struct *vh_copy_vma(struct vm_area_struct **vmap,
				   unsigned long addr, unsigned long len,
				   pgoff_t pgoff, bool *need_rmap_locks);
int vh_unmap(struct mm_struct *mm, unsigned long start, unsigned long end);
int vh_protect(struct mm_struct *mm, unsigned long start, unsigned long end,
	       vm_flags_t flags);

#define VH_RW	(VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)
#define VH_RO	(VM_READ | VM_MAYREAD | VM_MAYWRITE)
#define VH_PROT_RW	(VM_READ | VM_WRITE)
#define VH_PROT_RO	VM_READ
#define VH_PG(n)	((n) * PAGE_SIZE)
#define VH_BASE		0x100000UL

/**
 * vh_test_mm() - an empty address space for the running test
 *
 * Unmapped and released by a vh_defer() action when the test ends, whether
 * it passed or an assertion ended it early.  Actions run last first: start
 * threads and take locks on it after this call, and register their
 * clean-up after it too, so that they are undone before the address space
 * is torn down.  For test bodies only (not explorer ops, which run many
 * times in one test).
 *
 * Return: the address space (mm_count 1).
 */
struct mm_struct *vh_test_mm(void);

/**
 * vh_test_stack_guard_gap() - stack_guard_gap for the running test
 * @mm:		the address space the test searches (becomes current->mm,
 *		as the helpers here set it)
 * @gap:	the guard gap in bytes, until the test ends (a vh_defer()
 *		action restores the old one)
 */
void vh_test_stack_guard_gap(struct mm_struct *mm, unsigned long gap);

struct userfaultfd_ctx;

/**
 * vh_test_uffd() - a userfaultfd context on the running test's address space
 * @mm:		the address space (vh_test_mm()); its task_size is set as
 *		exec sets it (arch_pick_mmap_layout()), since the ioctls
 *		check their ranges against it
 * @slot:	where the context is stored: a vh_defer() action clears the
 *		hook of shared/env/uffd_api.h and releases *@slot after the
 *		test, unless the test released it and set *@slot to NULL
 */
void vh_test_uffd(struct mm_struct *mm, struct userfaultfd_ctx **slot);

/**
 * vh_test_vma() - a VMA of @mm from the VMA cache, outside its tree
 * @mm:		the address space it will belong to
 *
 * Freed by a vh_defer() action when the test ends (marked detached first
 * if the test left it attached).  Register it after vh_test_mm() of @mm.
 *
 * Return: the VMA, detached, or NULL.
 */
struct vm_area_struct *vh_test_vma(struct mm_struct *mm);

/**
 * vh_replace() - unmap [@start, @end) of @mm and map it anew
 * @mm:		the address space, mmap_lock held for write
 * @start:	first address
 * @end:	end address (exclusive)
 * @flags:	the new mapping's vm_flags
 *
 * The new VMA is another object: the one just freed is kept from being
 * reused for it (vh_test_vma()), so that a reader still holding the old
 * pointer cannot find the new VMA behind it by chance.
 *
 * Return: 0, or the first error of the unmap or the map.
 */
int vh_replace(struct mm_struct *mm, unsigned long start, unsigned long end,
	       vm_flags_t flags);

/*
 * Layouts as pictures (shared/vma/layout.c), one character per page from
 * VH_BASE: a letter is a VMA, upper case read-write (VH_RW), lower case
 * read-only (VH_RO); '-' or ' ' is a page with nothing mapped.
 *
 *	"AAAA--bb"	[0, 4) read-write, a gap, [6, 8) read-only
 */
#define VH_LAYOUT_MAX	64	/* pages in a picture */

/**
 * struct vh_layout_vma - one VMA of a picture
 * @start:	its first address
 * @end:	the address after its last page
 * @flags:	VH_RW or VH_RO
 * @name:	its letter, in upper case
 */
struct vh_layout_vma {
	unsigned long start, end;
	vm_flags_t flags;
	char name;
};

/**
 * vh_layout_parse() - the VMAs of a picture, in address order
 * @layout:	the picture
 * @vmas:	where they go
 * @max:	room in @vmas
 *
 * Return: how many, or -EINVAL (with one diagnostic line) for a picture
 * that is not one: another character, a letter in two places or in both
 * cases, more than @max VMAs or VH_LAYOUT_MAX pages.
 */
int vh_layout_parse(const char *layout, struct vh_layout_vma *vmas, int max);

/**
 * vh_map_layout() - map a picture into an empty range of @mm
 * @mm:		the address space (mmap_lock not held: this takes it)
 * @layout:	the picture; distinct letters next to each other must differ
 *		in case, since VMAs with the same flags would merge
 *
 * Each VMA is mapped as mmap() maps anonymous memory (vh_map()).
 *
 * Return: 0, or a negative errno with one diagnostic line.
 */
int vh_map_layout(struct mm_struct *mm, const char *layout);

/**
 * vh_map_layout_stack() - vh_map_layout(), with a stack
 * @mm:		the address space (mmap_lock not held: this takes it)
 * @layout:	the picture; the VMA drawn 'S' is mapped as
 *		mmap(MAP_GROWSDOWN) maps a stack, so that it is accounted as one
 *
 * Return: 0, or a negative errno with one diagnostic line.
 */
int vh_map_layout_stack(struct mm_struct *mm, const char *layout);

/**
 * vh_layout_is() - does @mm hold exactly the VMAs of a picture?
 * @mm:		the address space (mmap_lock not held: this read-locks it)
 * @layout:	the picture expected
 *
 * Walks the maple tree: the same VMAs, at the same pages, writable where
 * the picture has upper case, none outside it, and mm->map_count agreeing.
 * Letters only tell VMAs apart: "AAbb" and "XXyy" are the same layout.
 *
 * Return: true if so; otherwise false, after a diagnostic line drawing
 * what @mm holds.
 */
bool vh_layout_is(struct mm_struct *mm, const char *layout);

/**
 * vh_fork_child_is() - is @child a fork's copy of a picture?
 * @child:	the child's address space (mmap_lock not held)
 * @layout:	the picture expected
 *
 * vh_layout_is(), and every VMA of @child attached: dup_mmap() attaches
 * each copy as it links it.
 *
 * Return: true if so; otherwise false, after a diagnostic line per
 * difference.
 */
bool vh_fork_child_is(struct mm_struct *child, const char *layout);

/**
 * vh_layout_span() - the pages marked in a picture of a range
 * @picture:	e.g. "   **   " for pages [3, 5)
 * @mark:	the character that marks them
 * @start:	set to the first marked address
 * @end:	set to the address after the last marked page
 *
 * Return: false if no page, or pages in two places, are marked (or
 * @picture is NULL).
 */
bool vh_layout_span(const char *picture, char mark, unsigned long *start,
		    unsigned long *end);

/*
 * What a reader relies on staying put while it holds a VMA read-locked:
 * its range, offset, flags, anon_vma, mm and file.
 */
struct vh_vma_snap {
	unsigned long start, end, pgoff, flags;
	void *anon_vma, *mm, *file;
};
void vh_vma_snap(struct vm_area_struct *vma, struct vh_vma_snap *s);
bool vh_vma_snap_same(const struct vh_vma_snap *a,
		      const struct vh_vma_snap *b);

struct vh_thread;
/**
 * vh_writer_vs_reader() - a writer thread against the VMA a reader holds
 * @writer:	the thread that changes the address space
 * @done:	set by @writer once its operation returned
 * @vma:	the VMA the test holds read-locked
 * @before:	@vma's snapshot when the test got it
 * @waits:	whether the operation changes @vma, so must wait for the reader
 *
 * Waits until @writer sleeps or is done, then fails the test if it did not
 * wait though it changes @vma (no vma_start_write() first), waited though
 * it does not, or if @vma changed under the reader.
 *
 * Return: whether @writer was blocked.
 */
bool vh_writer_vs_reader(struct vh_thread *writer, const int *done,
			 struct vm_area_struct *vma,
			 const struct vh_vma_snap *before, bool waits);

/*
 * vma_start_read_unlocked() where the tree has it (the 2026 series adds it;
 * the series fixture tree gets it from scripts/fixtures): tests of it are
 * skipped with VH_UNLOCKED_SKIP as the reason otherwise.
 */
#ifdef VH_HAVE_START_READ_UNLOCKED
#define VH_UNLOCKED_SKIP	NULL
#define vh_start_read_unlocked(mm, addr) vma_start_read_unlocked(mm, addr)
#else
#define VH_UNLOCKED_SKIP \
	"the tree has no vma_start_read_unlocked() (the series fixture adds it)"
#define vh_start_read_unlocked(mm, addr) ((void)(mm), (void)(addr), \
					  (struct vm_area_struct *)NULL)
#endif

/* mm/mremap.c's system call (include/linux/syscalls.h): takes mmap_lock. */
long sys_mremap(unsigned long addr, unsigned long old_len,
		unsigned long new_len, unsigned long flags,
		unsigned long new_addr);

/* The VMA slab cache (SLAB_TYPESAFE_BY_RCU) of mm/vma_init.c. */
struct kmem_cache *vh_vma_cache(void);

/*
 * The lockless entry points, as the tests call them: checked at their
 * return against their locking contract (shared/vma/entry.c).
 */
struct vm_area_struct *vh_lock_vma_under_rcu(struct mm_struct *mm,
					     unsigned long address,
					     const char *file, int line);
struct vm_area_struct *vh_lock_next_vma(struct mm_struct *mm,
					struct vma_iterator *vmi,
					unsigned long from_addr,
					const char *file, int line);
struct vm_area_struct *vh_vma_start_read_unlocked(struct mm_struct *mm,
						  unsigned long address,
						  const char *file, int line);
bool vh_vma_start_read_locked(struct vm_area_struct *vma, const char *file,
			      int line);
void vh_vma_end_read(struct vm_area_struct *vma, const char *file, int line);
#define lock_vma_under_rcu(mm, a) vh_lock_vma_under_rcu(mm, a, __FILE__, __LINE__)
#define lock_next_vma(mm, vmi, a) \
	vh_lock_next_vma(mm, vmi, a, __FILE__, __LINE__)
#define vma_start_read_unlocked(mm, a) \
	vh_vma_start_read_unlocked(mm, a, __FILE__, __LINE__)
#define vma_start_read_locked(vma) \
	vh_vma_start_read_locked(vma, __FILE__, __LINE__)
#define vma_end_read(vma)	vh_vma_end_read(vma, __FILE__, __LINE__)

/* How vh_fault() touches the page (flags, or'ed). */
#define VH_FAULT_WRITE		0x1	/* a write (X86_PF_WRITE) */
#define VH_FAULT_INSTR		0x2	/* an instruction fetch (X86_PF_INSTR) */
#define VH_FAULT_KERNEL		0x4	/* from kernel mode: a uaccess */

/* What the fault driver did (vh_fault()). */
enum vh_fault_path {
	VH_FAULT_VMA_LOCK,	/* handled under the VMA lock alone */
	VH_FAULT_RETRIED,	/* VM_FAULT_RETRY under the VMA lock, then handled under mmap_lock */
	VH_FAULT_MMAP_LOCK,	/* no VMA under RCU: handled under mmap_lock */
	VH_FAULT_SIGSEGV,	/* SIGSEGV sent */
	VH_FAULT_SIGBUS,	/* SIGBUS sent */
	VH_FAULT_OOPS,		/* a kernel-mode fault nothing fixes up */
	VH_FAULT_OOM,		/* pagefault_out_of_memory() */
	VH_FAULT_UNHANDLED,	/* returned with the fault still to do */
};

/**
 * vh_fault() - take a page fault on @addr as an x86 thread of @mm does
 * @mm:		the address space (current->mm for the fault)
 * @addr:	the faulting address; its page is not present (the page
 *		tables are empty)
 * @flags:	VH_FAULT_WRITE, VH_FAULT_INSTR, VH_FAULT_KERNEL
 *
 * Runs the tree's do_user_addr_fault() (arch/x86/mm/fault.c): the fault
 * under lock_vma_under_rcu() with FAULT_FLAG_VMA_LOCK, on VM_FAULT_RETRY or
 * no VMA the fallback through lock_mm_and_find_vma() (which grows a stack),
 * handle_mm_fault() of mm/memory.c down to its stub cut, which prepares
 * the anon_vma of a write fault through the tree's vmf_anon_prepare().
 * The call is checked against the driver's contract: it returns with the
 * locks and the RCU nesting it was called with (no VMA lock, no
 * mmap_lock left), or the test fails naming what was left.  Called from a
 * harness thread or the test body, which must hold neither lock.
 *
 * Return: what the driver did; vh_fault_path_name() names it.
 */
#define vh_fault(mm, addr, flags) \
	vh_fault_at(mm, addr, flags, __FILE__, __LINE__)
enum vh_fault_path vh_fault_at(struct mm_struct *mm, unsigned long addr,
			       unsigned int flags, const char *file, int line);

/**
 * vh_fault_path_name() - a vh_fault() result as a word
 * @path:	what vh_fault() returned
 *
 * Return: "vma_lock", "retried", "mmap_lock", "sigsegv", ... ("?" for a
 * value that is none of them).
 */
const char *vh_fault_path_name(enum vh_fault_path path);

#endif /* _VH_VMA_H */
