/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the environment: the calling thread's task, forgotten when the
 * thread ends (task.c), after sleep.c's vh_task_exit() has checked it.
 */
#ifndef _VH_ENV_TASK_H
#define _VH_ENV_TASK_H

struct task_struct;

struct task_struct *vh_task_detach_current(void);

#endif /* _VH_ENV_TASK_H */
