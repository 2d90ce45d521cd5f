// SPDX-License-Identifier: GPL-2.0
/*
 * The worker pool (parallel.h).  The runner sends a worker one job number
 * at a time on a pipe; the worker's standard output and error go to another
 * pipe, where it ends each job with a line of its own ("\1<job> <result>
 * <fatal>").  What a worker prints during a job (the job's diagnostics, a
 * sanitizer report, the messages of upstream's tests on stderr) belongs to
 * that job.  Results are handed to the runner in job order.
 *
 * A worker that dies during a job (a sanitizer abort, a signal) fails that
 * job with the reason; one that does not answer within the watchdog plus a
 * margin is killed.  Either way a new worker takes over the jobs left.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/compiler.h>
#include "mode.h"
#include "parallel.h"

#define VH_PAR_MAX	64	/* workers */
#define VH_PAR_MARGIN	30	/* seconds past the watchdog: kill */

struct vh_par_buf {
	char *s;
	size_t len, cap;
};

struct vh_par_job {
	bool done;
	int result;
	char *why;
	struct vh_par_buf out;
};

struct vh_par_worker {
	pid_t pid;
	int cmd;			/* job numbers to the worker */
	int out;			/* its stdout and stderr */
	int job;			/* running, or -1 */
	bool leaving;			/* said its last job was fatal */
	bool killed;			/* by us, for not answering */
	struct timespec since;		/* its job started */
	struct vh_par_buf line;		/* a line not yet complete */
	struct vh_par_buf trailer;	/* output after its last job */
};

static struct vh_par_worker vh_workers[VH_PAR_MAX];
static int vh_nr_workers;
static const struct vh_par_ops *vh_ops;
static bool vh_stopped;		/* start no further job */

static void vh_buf_add(struct vh_par_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = 2 * (b->len + n + 1) + 256;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static double vh_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) + (now.tv_nsec - t->tv_nsec) / 1e9;
}

/* In the worker: run what the runner sends, until it sends -1. */
static __noreturn void
vh_worker_main(int cmd, const struct vh_par_ops *ops)
{
	char line[32];
	FILE *in = fdopen(cmd, "r");

	if (!in)
		abort();
	setvbuf(stdout, NULL, _IOLBF, 0);
	ops->worker_init();
	while (fgets(line, sizeof(line), in)) {
		int i = atoi(line), r;
		bool fatal;

		if (i < 0)
			break;
		r = ops->run(i);
		fatal = ops->fatal(r);
		fflush(stderr);
		printf("\1%d %d %d\n", i, r, fatal);
		fflush(stdout);
		/* Tasks are stuck or state abandoned: no clean exit. */
		if (fatal)
			_exit(0);
	}
	fclose(in);
	exit(ops->worker_exit());
}

static void vh_send(struct vh_par_worker *w, int job)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "%d\n", job);

	w->job = job;
	clock_gettime(CLOCK_MONOTONIC, &w->since);
	/* A worker that died is noticed on its output pipe. */
	if (write(w->cmd, line, n) != n)
		return;
	if (job < 0) {
		close(w->cmd);
		w->cmd = -1;
	}
}

static void vh_spawn(struct vh_par_worker *w, const struct vh_par_ops *ops)
{
	int cmd[2], out[2], i;

	if (pipe(cmd) || pipe(out)) {
		perror("vma: pipe");
		exit(2);
	}
	fflush(stdout);
	fflush(stderr);
	w->pid = fork();
	if (w->pid < 0) {
		perror("vma: fork");
		exit(2);
	}
	if (!w->pid) {
		for (i = 0; i < vh_nr_workers; i++) {
			if (vh_workers[i].pid <= 0 || &vh_workers[i] == w)
				continue;
			if (vh_workers[i].cmd >= 0)
				close(vh_workers[i].cmd);
			if (vh_workers[i].out >= 0)
				close(vh_workers[i].out);
		}
		close(cmd[1]);
		close(out[0]);
		dup2(out[1], STDOUT_FILENO);
		dup2(out[1], STDERR_FILENO);
		close(out[1]);
		vh_worker_main(cmd[0], ops);
	}
	close(cmd[0]);
	close(out[1]);
	w->cmd = cmd[1];
	w->out = out[0];
	w->job = -1;
	w->leaving = false;
	w->killed = false;
	w->line.len = 0;
	w->trailer.len = 0;
}

static char *vh_status_why(int status, bool killed)
{
	char *why;
	int n;

	if (killed)
		n = asprintf(&why, "the worker did not answer within %us and was killed",
			     vh_opts.timeout_s + VH_PAR_MARGIN);
	else if (WIFSIGNALED(status))
		n = asprintf(&why, "the worker process was killed by signal %d (%s)",
			     WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		n = asprintf(&why, "the worker process exited with status %d during the test",
			     WEXITSTATUS(status));
	if (n < 0)
		abort();
	return why;
}

/* One complete line from worker @w. */
static void vh_line(struct vh_par_worker *w, struct vh_par_job *jobs,
		    const char *s, size_t n)
{
	int i, r, fatal;

	if (n && s[0] == '\1' && sscanf(s + 1, "%d %d %d", &i, &r, &fatal) == 3 &&
	    i == w->job) {
		jobs[i].done = true;
		jobs[i].result = r;
		vh_stopped |= vh_ops->stop(i, r);
		w->job = -1;
		w->leaving = fatal;
		return;
	}
	vh_buf_add(w->job >= 0 ? &jobs[w->job].out : &w->trailer, s, n);
	vh_buf_add(w->job >= 0 ? &jobs[w->job].out : &w->trailer, "\n", 1);
}

/* Worker @w closed its output: it ended. */
static int vh_reap(struct vh_par_worker *w, struct vh_par_job *jobs,
		   const struct vh_par_ops *ops)
{
	int status = 0, ret = 0;

	if (w->line.len)
		vh_line(w, jobs, w->line.s, w->line.len);
	w->line.len = 0;
	close(w->out);
	w->out = -1;
	if (w->cmd >= 0)
		close(w->cmd);
	w->cmd = -1;
	while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
		;
	w->pid = 0;
	if (w->job >= 0) {
		jobs[w->job].done = true;
		jobs[w->job].result = -1;
		jobs[w->job].why = vh_status_why(status, w->killed);
		vh_stopped |= ops->stop(w->job, -1);
		w->job = -1;
	} else if (!w->leaving) {
		ret = WIFEXITED(status) ? WEXITSTATUS(status) :
		      128 + WTERMSIG(status);
		if (ret || w->trailer.len)
			ops->worker_ended(ret, w->trailer.s ?: "");
	}
	return ret;
}

int vh_par_run(int nr, int jobs_max, const struct vh_par_ops *ops)
{
	struct vh_par_job *jobs = calloc(nr ? nr : 1, sizeof(*jobs));
	int next_job = 0, next_print = 0, alive = 0, ret = 0, i;

	if (!jobs)
		abort();
	vh_ops = ops;
	vh_stopped = false;
	signal(SIGPIPE, SIG_IGN);
	vh_nr_workers = jobs_max < VH_PAR_MAX ? jobs_max : VH_PAR_MAX;
	if (vh_nr_workers > nr)
		vh_nr_workers = nr;
	for (i = 0; i < vh_nr_workers; i++) {
		vh_workers[i].cmd = vh_workers[i].out = -1;
		vh_spawn(&vh_workers[i], ops);
		vh_send(&vh_workers[i], next_job++);
		alive++;
	}
	while (alive) {
		struct pollfd pfd[VH_PAR_MAX];
		int map[VH_PAR_MAX], n = 0;

		for (i = 0; i < vh_nr_workers; i++) {
			if (vh_workers[i].pid <= 0)
				continue;
			pfd[n].fd = vh_workers[i].out;
			pfd[n].events = POLLIN;
			map[n++] = i;
		}
		if (poll(pfd, n, 500) < 0 && errno != EINTR) {
			perror("vma: poll");
			exit(2);
		}
		for (i = 0; i < n; i++) {
			struct vh_par_worker *w = &vh_workers[map[i]];
			char chunk[4096], *p, *nl;
			ssize_t got;

			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			got = read(w->out, chunk, sizeof(chunk));
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				int r = vh_reap(w, jobs, ops);

				ret = ret ?: r;
				alive--;
				if (next_job < nr && !vh_stopped) {
					vh_spawn(w, ops);
					vh_send(w, next_job++);
					alive++;
				}
				continue;
			}
			vh_buf_add(&w->line, chunk, got);
			for (p = w->line.s; (nl = memchr(p, '\n',
					w->line.len - (p - w->line.s))); p = nl + 1)
				vh_line(w, jobs, p, nl - p);
			w->line.len -= p - w->line.s;
			memmove(w->line.s, p, w->line.len);
			/* Idle and not leaving: the next job, or the end. */
			if (w->job < 0 && !w->leaving && w->cmd >= 0)
				vh_send(w, next_job < nr && !vh_stopped ?
					   next_job++ : -1);
		}
		for (i = 0; i < vh_nr_workers; i++) {
			struct vh_par_worker *w = &vh_workers[i];

			if (w->pid > 0 && w->job >= 0 && !w->killed &&
			    vh_since(&w->since) > vh_opts.timeout_s +
						  VH_PAR_MARGIN) {
				w->killed = true;
				kill(w->pid, SIGKILL);
			}
		}
		if (!alive)
			for (i = next_job; i < nr; i++)
				jobs[i] = (struct vh_par_job){ .done = true,
							      .result = -2 };
		while (next_print < nr && jobs[next_print].done) {
			struct vh_par_job *j = &jobs[next_print];

			ops->done(next_print, j->result, j->out.s ?: "",
				  j->why);
			free(j->out.s);
			free(j->why);
			next_print++;
		}
	}
	for (i = 0; i < vh_nr_workers; i++) {
		free(vh_workers[i].line.s);
		free(vh_workers[i].trailer.s);
	}
	free(jobs);
	return ret;
}
