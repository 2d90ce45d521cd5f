/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/PID/maps and PROCMAP_QUERY for the tests: the tree's own
 * fs/proc/task_mmu.c iteration (m_start(), m_next(), m_stop() and what
 * they call) read through the tree's fs/seq_file.c seq_read_iter(), one
 * read() at a time, and the tree's do_procmap_query().  Only the show is
 * the harness's: one line per VMA, "start-end rwxp", padded to the
 * record size the file was opened with, so that a page of the seq_file
 * buffer holds as many VMAs as a test wants.  The unit is
 * build/gen/kx/task_mmu.c (scripts/build/task_mmu.names).
 */
#ifndef _VH_ENV_MAPS_H
#define _VH_ENV_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct mm_struct;
struct vm_area_struct;
struct vh_maps_file;

/**
 * typedef vh_maps_show_fn - called by the show of each VMA
 * @arg:	what vh_maps_set_show() was given
 * @vma:	the VMA being shown (read-locked, or mmap_lock held)
 * @mmap_locked: whether the reader has fallen back to mmap_lock
 *
 * With @drop_rcu, it runs where smaps' page walk runs: between
 * drop_rcu() and reacquire_rcu(), outside RCU, the VMA still locked; it
 * may sleep.
 */
typedef void (*vh_maps_show_fn)(void *arg, struct vm_area_struct *vma,
				bool mmap_locked);

/**
 * vh_maps_open() - open /proc/PID/maps of @mm for the current task
 * @mm:		the address space (a reference is taken, as proc_mem_open())
 * @record:	bytes each VMA's line takes (at least 32, at most a page)
 *
 * Return: the open file, released by vh_maps_release().
 */
struct vh_maps_file *vh_maps_open(struct mm_struct *mm, size_t record);

/**
 * vh_maps_set_show() - call @fn from the show of each VMA
 * @f:		the file
 * @fn:		the function, or NULL for none
 * @arg:	its argument
 * @drop_rcu:	whether the show leaves RCU around @fn (as smaps does)
 */
void vh_maps_set_show(struct vh_maps_file *f, vh_maps_show_fn fn, void *arg,
		      bool drop_rcu);

/**
 * vh_maps_read() - one read() of the file, from where the last one ended
 * @f:		the file
 * @buf:	where the text goes
 * @count:	its size (a page, for a reader that reads a page at a time)
 *
 * Return: the bytes read, 0 at the end, or a negative errno.
 */
ssize_t vh_maps_read(struct vh_maps_file *f, char *buf, size_t count);

/**
 * vh_maps_release() - close the file
 * @f:		the file
 *
 * Return: the task references the reads left unbalanced (0 if
 * get_proc_task() and put_task_struct() paired up).
 */
int vh_maps_release(struct vh_maps_file *f);

/* What PROCMAP_QUERY asks (struct procmap_query's query part) and answers. */
struct vh_procmap_query {
	unsigned long addr;
	bool or_next;		/* PROCMAP_QUERY_COVERING_OR_NEXT_VMA */
	bool file_backed;	/* PROCMAP_QUERY_FILE_BACKED_VMA */
	bool writable;		/* PROCMAP_QUERY_VMA_WRITABLE */
	bool want_name;		/* ask for the VMA's name (vma_name_size) */
	/* The answer. */
	unsigned long start, end;
	bool is_writable;
	char name[64];
	unsigned long long offset; /* vma_offset: the file offset, in bytes */
};

/**
 * vh_procmap_query() - the PROCMAP_QUERY ioctl on /proc/PID/maps of @mm
 * @mm:		the address space
 * @q:		the query, and the answer
 *
 * Return: 0 or a negative errno (-ENOENT: no matching VMA).
 */
int vh_procmap_query(struct mm_struct *mm, struct vh_procmap_query *q);

#endif /* _VH_ENV_MAPS_H */
