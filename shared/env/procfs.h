/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment of /proc/PID/maps: what fs/proc/task_mmu.c's maps
 * iteration and PROCMAP_QUERY, and fs/seq_file.c's seq_read_iter() that
 * drives them, call and cannot have from the tree (the unit is
 * build/gen/kx/task_mmu.c, made of the functions that
 * scripts/build/task_mmu.names takes by name).
 *
 * Hand-written stand-ins, each a debt (README, "Hand-written"):
 *  - user copies are memcpy(): the harness has one address space;
 *    copy_struct_from_user() keeps the kernel's rules for a larger or
 *    smaller user struct (a non-zero tail is -E2BIG);
 *  - an iov_iter is a user buffer and its length;
 *  - a proc inode names the task it was opened for; get_proc_task() and
 *    put_task_struct() count the references taken, which must balance
 *    when the file is closed;
 *  - mmput() (kernel/fork.c) drops mm_users, which must stay positive:
 *    the test owns the address space;
 *  - file names: one path for every file, no build ID, no arch name;
 *  - u64_to_user_ptr() without its type check (below).
 */
#ifndef _VH_ENV_PROCFS_H
#define _VH_ENV_PROCFS_H

#include "vma_internal.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define __user

/* struct inode, super_block and path: include/linux/fs.h. */

/* Task references taken by get_proc_task() and not yet put. */
static atomic_t vh_proc_task_refs;

struct kiocb {
	struct file *ki_filp;
	loff_t ki_pos;
};

struct iov_iter {
	char *vh_buf;
	size_t count;
};

static inline size_t iov_iter_count(const struct iov_iter *i)
{
	return i->count;
}

static inline size_t copy_to_iter(const void *addr, size_t bytes,
				  struct iov_iter *i)
{
	if (bytes > i->count)
		bytes = i->count;
	memcpy(i->vh_buf, addr, bytes);
	i->vh_buf += bytes;
	i->count -= bytes;
	return bytes;
}

#define kvmalloc(size, gfp)	kmalloc(size, gfp)
#define kvfree(p)		kfree(p)
#define pr_info_ratelimited(fmt, ...)	fprintf(stderr, fmt, ##__VA_ARGS__)

static inline unsigned long copy_from_user(void *to, const void *from,
					   unsigned long n)
{
	memcpy(to, from, n);
	return 0;
}

static inline unsigned long copy_to_user(void *to, const void *from,
					 unsigned long n)
{
	memcpy(to, from, n);
	return 0;
}

static inline int copy_struct_from_user(void *dst, size_t ksize,
					const void *src, size_t usize)
{
	size_t size = usize < ksize ? usize : ksize;
	size_t i;

	for (i = ksize; i < usize; i++)
		if (((const char *)src)[i])
			return -E2BIG;
	memset(dst, 0, ksize);
	memcpy(dst, src, size);
	return 0;
}

/* The proc inode's task, with a reference (fs/proc/internal.h). */
static inline struct task_struct *get_proc_task(struct inode *inode)
{
	atomic_inc(&vh_proc_task_refs);
	return inode->vh_task;
}

/* m_stop() is what drops them. */
#define put_task_struct(t)	vh_proc_put_task(t)
void vh_proc_put_task(struct task_struct *t);

/* kernel/fork.c: the test owns the address space, so never the last. */
static inline void mmput(struct mm_struct *mm)
{
	WARN_ON_ONCE(atomic_dec_return(&mm->mm_users) <= 0);
}

static inline struct inode *file_user_inode(struct file *f)
{
	return f->f_mapping ? f->f_mapping->host : NULL;
}

static inline const struct path *file_user_path(struct file *f)
{
	static const struct path p = { .vh_name = "/vh/file" };

	(void)f;
	return &p;
}

static inline char *d_path(const struct path *path, char *buf, int len)
{
	int n = strlen(path->vh_name) + 1;

	if (n > len)
		return ERR_PTR(-ENAMETOOLONG);
	memcpy(buf + len - n, path->vh_name, n);
	return buf + len - n;
}

/*
 * include/linux/util_macros.h's has typecheck(u64, x): tools/'s u64 is
 * uint64_t and the uapi's __u64 unsigned long long, so it would warn.
 */
#define u64_to_user_ptr(x)	((void __user *)(uintptr_t)(x))

#define arch_vma_name(vma)	((void)(vma), (const char *)NULL)
#define build_id_parse_file(f, buf, sz)	((void)(f), (void)(buf), \
					 (void)(sz), -ENOENT)

#endif /* _VH_ENV_PROCFS_H */
