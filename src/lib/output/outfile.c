/*
 * outfile.c - output files written all or nothing (outfile.h): special
 * files written directly, symbolic links followed, temporary files
 * fsync'ed before the rename and removed when a signal ends the program.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calib/outfile.h"

#define MAX_CLEANUP 8
#define MAX_LINKS 40 /* symbolic links followed, as the kernel's limit */
#define TMP_NAME ".calib-XXXXXX"

/* What a signal cleans up: touched by the handler, so plain volatile slots. */
static char *volatile cleanup_path[MAX_CLEANUP];
static volatile pid_t cleanup_pid;
static bool handler_installed;
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

/* Async-signal-safe: unlink, kill, sigaction and raise only. */
static void
on_signal(int sig)
{
	struct sigaction dfl;

	for (size_t i = 0; i < MAX_CLEANUP; i++)
		if (cleanup_path[i])
			unlink(cleanup_path[i]);
	if (cleanup_pid > 0)
		kill(cleanup_pid, SIGTERM);
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	/* blocked while the handler runs: delivered, with its default action, on return */
	raise(sig);
}

/* Block the three signals (old mask in *old), installing the handler once. */
static void
cleanup_lock(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof cleanup_signals / sizeof cleanup_signals[0]; i++)
		sigaddset(&set, cleanup_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
	if (!handler_installed) {
		struct sigaction sa, cur;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sa.sa_mask = set;
		for (size_t i = 0; i < sizeof cleanup_signals / sizeof cleanup_signals[0]; i++)
			/* an ignored signal (nohup) stays ignored; a program's own handler stays */
			if (sigaction(cleanup_signals[i], NULL, &cur) == 0 &&
			    cur.sa_handler == SIG_DFL && !(cur.sa_flags & SA_SIGINFO))
				sigaction(cleanup_signals[i], &sa, NULL);
		handler_installed = true;
	}
}

static void
cleanup_unlock(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

/* Put copy in a free slot (signals blocked): its slot, or -1 when the list is full. */
static int
slot_put(char *copy)
{
	for (size_t i = 0; i < MAX_CLEANUP; i++)
		if (!cleanup_path[i]) {
			cleanup_path[i] = copy;
			return (int)i;
		}
	return -1;
}

int
calib_outfile_cleanup_add(const char *path)
{
	char *copy = strdup(path);
	sigset_t old;
	int slot;

	if (!copy)
		return -1;
	cleanup_lock(&old);
	slot = slot_put(copy);
	cleanup_unlock(&old);
	if (slot < 0)
		free(copy);
	return slot;
}

void
calib_outfile_cleanup_remove(int slot)
{
	sigset_t old;
	char *p;

	if (slot < 0 || slot >= MAX_CLEANUP)
		return;
	cleanup_lock(&old);
	p = cleanup_path[slot];
	cleanup_path[slot] = NULL;
	cleanup_unlock(&old);
	free(p);
}

void
calib_outfile_cleanup_child(pid_t pid)
{
	sigset_t old;

	cleanup_lock(&old);
	cleanup_pid = pid;
	cleanup_unlock(&old);
}

void
calib_outfile_signals_hold(sigset_t *old)
{
	cleanup_lock(old);
}

void
calib_outfile_signals_release(const sigset_t *old)
{
	cleanup_unlock(old);
}

/* The folder part of path with its slash ("" for none): its length. */
static size_t
dir_len(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? (size_t)(slash - path) + 1 : 0;
}

/* The contents of the symbolic link path, in a new string; NULL with errno. */
static char *
read_link(const char *path, size_t size_hint)
{
	size_t cap = size_hint ? size_hint + 1 : 256;

	for (;;) {
		char *buf = malloc(cap);
		ssize_t n;
		if (!buf)
			return NULL;
		if ((n = readlink(path, buf, cap)) < 0) {
			free(buf);
			return NULL;
		}
		if ((size_t)n < cap) {
			buf[n] = '\0';
			return buf;
		}
		free(buf);
		cap *= 2;
	}
}

/* path with every symbolic link at its end followed; NULL with errno. */
static char *
follow_links(const char *path)
{
	char *cur = strdup(path);

	for (int hops = 0; cur; hops++) {
		struct stat sb;
		char *link, *next;
		size_t d;
		if (lstat(cur, &sb) != 0 || !S_ISLNK(sb.st_mode))
			return cur; /* not there yet, or not a link: this is the target */
		if (hops == MAX_LINKS) {
			free(cur);
			errno = ELOOP;
			return NULL;
		}
		if (!(link = read_link(cur, (size_t)sb.st_size))) {
			free(cur);
			return NULL;
		}
		/* a relative link is relative to the link's own folder */
		d = link[0] == '/' ? 0 : dir_len(cur);
		if ((next = malloc(d + strlen(link) + 1))) {
			memcpy(next, cur, d);
			strcpy(next + d, link);
		}
		free(link);
		free(cur);
		cur = next;
	}
	return NULL;
}

enum calib_status
calib_outfile_resolve(const char *path, enum calib_outfile_kind *kind, char **target,
                      struct calib_error *err)
{
	struct stat sb;
	char *t;

	*target = NULL;
	if (!path || strcmp(path, "-") == 0) {
		*kind = CALIB_OUTFILE_STDOUT;
		return CALIB_OK;
	}
	/* what the kernel reaches (/dev/stdout to a pipe, say) is written as it is */
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		*kind = CALIB_OUTFILE_DIRECT;
		return CALIB_OK;
	}
	if (!(t = follow_links(path)))
		return calib_error_set(err, errno == ENOMEM ? CALIB_ENOMEM : CALIB_EIO, path, 0,
		                       0, "%s", strerror(errno));
	if (stat(t, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		free(t);
		*kind = CALIB_OUTFILE_DIRECT;
		return CALIB_OK;
	}
	*kind = CALIB_OUTFILE_ATOMIC;
	*target = t;
	return CALIB_OK;
}

enum calib_status
calib_outfile_open(struct calib_outfile *o, const char *path, struct calib_error *err)
{
	enum calib_status st;
	struct stat sb;
	size_t d;
	mode_t mode;
	int fd;

	memset(o, 0, sizeof *o);
	o->slot = -1;
	if ((st = calib_outfile_resolve(path, &o->kind, &o->target, err)))
		return st;
	if (o->kind == CALIB_OUTFILE_STDOUT) {
		o->fp = stdout;
		return CALIB_OK;
	}
	if (!(o->path = strdup(path)))
		goto nomem;
	if (o->kind == CALIB_OUTFILE_DIRECT) {
		/* no O_TRUNC, O_CREAT: a device or FIFO is written as it is */
		if ((fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)) < 0)
			goto fail_errno;
		if (!(o->fp = fdopen(fd, "w"))) {
			close(fd);
			goto fail_errno;
		}
		return CALIB_OK;
	}
	d = dir_len(o->target);
	if (!(o->tmp = malloc(d + sizeof TMP_NAME)))
		goto nomem;
	memcpy(o->tmp, o->target, d);
	memcpy(o->tmp + d, TMP_NAME, sizeof TMP_NAME);
	if (stat(o->target, &sb) == 0) {
		mode = sb.st_mode & 07777;
	} else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	{
		/* made and registered with the signals blocked: none leaves it behind */
		char *copy = strdup(o->tmp); /* the name's room; mkstemp fills it in */
		sigset_t old;
		int e;
		if (!copy) {
			free(o->tmp);
			o->tmp = NULL;
			goto nomem;
		}
		cleanup_lock(&old);
		fd = mkstemp(o->tmp);
		e = errno;
		if (fd >= 0) {
			strcpy(copy, o->tmp);
			o->slot = slot_put(copy);
		}
		cleanup_unlock(&old);
		if (o->slot < 0)
			free(copy);
		errno = e;
		if (fd < 0) {
			free(o->tmp);
			o->tmp = NULL; /* nothing was made */
			goto fail_errno;
		}
	}
	if (fchmod(fd, mode) != 0 || !(o->fp = fdopen(fd, "w"))) {
		int e = errno;
		close(fd);
		errno = e;
		goto fail_errno; /* removes the file */
	}
	return CALIB_OK;
nomem:
	calib_outfile_abort(o);
	return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
fail_errno:
	st = calib_error_set(err, CALIB_EIO, path, 0, 0, "%s", strerror(errno));
	calib_outfile_abort(o);
	return st;
}

void
calib_outfile_abort(struct calib_outfile *o)
{
	if (o->fp && o->kind != CALIB_OUTFILE_STDOUT)
		fclose(o->fp);
	if (o->tmp) {
		unlink(o->tmp);
		calib_outfile_cleanup_remove(o->slot);
	}
	free(o->path);
	free(o->target);
	free(o->tmp);
	memset(o, 0, sizeof *o);
	o->slot = -1;
}

/* fsync the folder of path, so the rename itself is on disk. */
static void
sync_dir(const char *path)
{
	size_t d = dir_len(path);
	char *dir = malloc(d + 2);
	int fd;

	if (!dir)
		return;
	if (d)
		memcpy(dir, path, d);
	else
		dir[d++] = '.';
	dir[d] = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(fd); /* some file systems refuse it for folders: no harm */
		close(fd);
	}
	free(dir);
}

enum calib_status
calib_outfile_commit(struct calib_outfile *o, struct calib_error *err)
{
	enum calib_status st = CALIB_OK;
	int e = 0;

	if (!o->fp)
		return CALIB_OK;
	if (o->kind == CALIB_OUTFILE_STDOUT) {
		/* its error stays in ferror(stdout) for the program's last check */
		fflush(stdout);
		memset(o, 0, sizeof *o);
		o->slot = -1;
		return CALIB_OK;
	}
	if (fflush(o->fp) != 0 || ferror(o->fp))
		e = errno ? errno : EIO;
	else if (o->kind == CALIB_OUTFILE_ATOMIC && fsync(fileno(o->fp)) != 0)
		e = errno;
	if (fclose(o->fp) != 0 && !e)
		e = errno;
	o->fp = NULL;
	if (!e && o->kind == CALIB_OUTFILE_ATOMIC) {
		if (rename(o->tmp, o->target) != 0)
			e = errno;
		else {
			calib_outfile_cleanup_remove(o->slot);
			free(o->tmp);
			o->tmp = NULL; /* in place: nothing to remove any more */
			sync_dir(o->target);
		}
	}
	if (e)
		st = calib_error_set(err, CALIB_EIO, o->path, 0, 0, "%s", strerror(e));
	calib_outfile_abort(o);
	return st;
}
