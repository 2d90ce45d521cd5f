// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks: one per harness thread, created on first use of `current`, with
 * the pid and name the reports use.  What tasks do (sleep, wake, die) is
 * in sleep.c, above the layers it uses.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sched.h>
#include "env.h"
#include "task.h"

static __thread struct task_struct *vh_task;
static int vh_next_pid = 1;

static struct task_struct *vh_task_new(void)
{
	struct task_struct *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	t->pid = __atomic_fetch_add(&vh_next_pid, 1, __ATOMIC_RELAXED);
	snprintf(t->comm, sizeof(t->comm), "vma-%d", t->pid);
	pthread_mutex_init(&t->sleep_lock, NULL);
	pthread_mutex_init(&t->alloc_lock, NULL);
	pthread_cond_init(&t->sleep_cond, NULL);
	t->__state = TASK_RUNNING;
	return t;
}

struct task_struct *vh_current(void)
{
	if (__builtin_expect(!vh_task, 0))
		vh_task = vh_task_new();
	return vh_task;
}

int vh_task_pid(void)
{
	return vh_task ? vh_task->pid : 0;
}

struct task_struct *vh_task_detach_current(void)
{
	struct task_struct *t = vh_task;

	vh_task = NULL;
	return t;
}

void vh_task_free(struct task_struct *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->sleep_lock);
	pthread_cond_destroy(&t->sleep_cond);
	free(t);
}
