/* SPDX-License-Identifier: GPL-2.0 */
/* Runner internals: environment set-up and the non-test modes of ./vma. */
#ifndef _VH_MODES_H
#define _VH_MODES_H

struct vh_thread;

void vh_env_init(void);
void vh_env_report(void);
void vh_env_exit(void);
int vh_torture(unsigned long threads, unsigned long seconds);
int vh_bench(unsigned long threads, unsigned long seconds);

struct vh_thread *vh_thread_start_notify(void (*fn)(void *arg), void *arg,
					 void (*done)(void));
void vh_thread_exit_current(void) __attribute__((noreturn));
void vh_thread_abandon(struct vh_thread *t);
struct task_struct;
struct task_struct *vh_task_exit(void);
void vh_task_free(struct task_struct *t);
void vh_slab_teardown(void);

#endif /* _VH_MODES_H */
