/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The end of the /proc/PID/maps unit (build/gen/kx/task_mmu.c):
 * after the functions taken from the tree, what opens the file as
 * proc_maps_open() does, the harness's show, and the entry points of
 * shared/env/maps.h.  Only this unit includes it.
 */
#ifndef _VH_ENV_PROCFS_OPS_H
#define _VH_ENV_PROCFS_OPS_H

#include "maps.h"

struct vh_maps_file {
	struct file file;
	struct inode inode;
	struct super_block sb;
	struct seq_file *seq;
	loff_t pos;
	size_t record;
	vh_maps_show_fn show;
	void *arg;
	bool drop_rcu;
};

void vh_proc_put_task(struct task_struct *t)
{
	(void)t;
	atomic_dec(&vh_proc_task_refs);
}

/*
 * show_map() as far as the maps reader's locking goes: the VMA it is
 * given is read-locked by this task, or mmap_lock is held; then one line.
 */
static int vh_show_map(struct seq_file *m, void *v)
{
	struct proc_maps_private *priv = m->private;
	struct vh_maps_file *f = (struct vh_maps_file *)m->file;
	struct vm_area_struct *vma = v;
	size_t start = m->count;

	if (priv->lock_ctx.mmap_locked)
		mmap_assert_locked(priv->lock_ctx.mm);
	else
		vma_assert_locked(vma);
	if (f->show) {
		if (f->drop_rcu)
			drop_rcu(priv);
		f->show(f->arg, vma, priv->lock_ctx.mmap_locked);
		if (f->drop_rcu)
			reacquire_rcu(priv);
	}
	seq_printf(m, "%08lx-%08lx %c%c%c%c", vma->vm_start, vma->vm_end,
		   vma->vm_flags & VM_READ ? 'r' : '-',
		   vma->vm_flags & VM_WRITE ? 'w' : '-',
		   vma->vm_flags & VM_EXEC ? 'x' : '-',
		   vma->vm_flags & VM_MAYSHARE ? 's' : 'p');
	while (m->count < start + f->record - 1 && !seq_has_overflowed(m))
		seq_putc(m, ' ');
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations vh_maps_op = {
	.start	= m_start,
	.next	= m_next,
	.stop	= m_stop,
	.show	= vh_show_map,
};

struct vh_maps_file *vh_maps_open(struct mm_struct *mm, size_t record)
{
	struct vh_maps_file *f = kzalloc(sizeof(*f), GFP_KERNEL);
	struct proc_maps_private *priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	struct seq_file *m = kzalloc(sizeof(*m), GFP_KERNEL);

	BUG_ON(!f || !priv || !m || record < 32 || record > PAGE_SIZE);
	f->record = record;
	f->inode.i_sb = &f->sb;
	f->inode.vh_task = current;
	f->file.private_data = m;
	mutex_init(&m->lock);
	m->op = &vh_maps_op;
	m->file = &f->file;
	m->private = priv;
	priv->inode = &f->inode;
	mmgrab(mm);
	priv->lock_ctx.mm = mm;
	f->seq = m;
	return f;
}

void vh_maps_set_show(struct vh_maps_file *f, vh_maps_show_fn fn, void *arg,
		      bool drop_rcu)
{
	f->show = fn;
	f->arg = arg;
	f->drop_rcu = drop_rcu;
}

ssize_t vh_maps_read(struct vh_maps_file *f, char *buf, size_t count)
{
	struct kiocb kiocb = { .ki_filp = &f->file, .ki_pos = f->pos };
	struct iov_iter iter = { .vh_buf = buf, .count = count };
	ssize_t ret = seq_read_iter(&kiocb, &iter);

	f->pos = kiocb.ki_pos;
	return ret;
}

int vh_maps_release(struct vh_maps_file *f)
{
	struct seq_file *m = f->seq;
	struct proc_maps_private *priv = m->private;
	int refs = atomic_xchg(&vh_proc_task_refs, 0);

	mmdrop(priv->lock_ctx.mm);
	kvfree(m->buf);
	kfree(priv);
	kfree(m);
	kfree(f);
	return refs;
}

int vh_procmap_query(struct mm_struct *mm, struct vh_procmap_query *q)
{
	struct procmap_query karg = {
		.size = sizeof(karg),
		.query_addr = q->addr,
	};
	int err;

	if (q->or_next)
		karg.query_flags |= PROCMAP_QUERY_COVERING_OR_NEXT_VMA;
	if (q->file_backed)
		karg.query_flags |= PROCMAP_QUERY_FILE_BACKED_VMA;
	if (q->writable)
		karg.query_flags |= PROCMAP_QUERY_VMA_WRITABLE;
	if (q->want_name) {
		karg.vma_name_size = sizeof(q->name);
		karg.vma_name_addr = (uintptr_t)q->name;
	}
	err = do_procmap_query(mm, &karg);
	if (err)
		return err;
	q->start = karg.vma_start;
	q->end = karg.vma_end;
	q->is_writable = karg.vma_flags & PROCMAP_QUERY_VMA_WRITABLE;
	q->offset = karg.vma_offset;
	return 0;
}

#endif /* _VH_ENV_PROCFS_OPS_H */
