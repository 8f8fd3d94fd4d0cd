/*
 * outfile.h - output files written all or nothing, whatever the path names.
 *
 * calib_outfile_open() looks at what the path is:
 *   - NULL or "-": standard output;
 *   - an existing file that is not a regular file (a device such as
 *     /dev/null, a FIFO, a terminal): opened and written directly, with no
 *     temporary file and no rename, so it keeps its kind;
 *   - a regular file, or nothing yet: symbolic links are followed to the
 *     file they name (the target), and the output goes to a temporary
 *     ".calib-XXXXXX" in the target's own folder, flushed, fsync(2)ed and
 *     renamed over the target by calib_outfile_commit(), so that a crash
 *     leaves the old file or the new one, and the link stays a link. The
 *     new file keeps the old one's permission bits. A hard link is
 *     replaced by a new file under the path written: the other names of
 *     the old file keep the old contents, as with mv(1).
 *
 * Temporary files are registered for removal when a SIGINT, SIGTERM or
 * SIGHUP ends the program: the first registration installs a handler for
 * those of the three that are at their default disposition. It removes
 * every registered file, sends SIGTERM to the registered child (gnuplot)
 * and raises the signal again, so the program ends as the signal says.
 *
 * Ownership: a struct calib_outfile lives with the caller; open fills it,
 * commit or abort empties it (both harmless on an empty one). Nothing
 * here prints or exits.
 */
#ifndef CALIB_OUTFILE_H
#define CALIB_OUTFILE_H

#include <stdio.h>
#include <signal.h>
#include <sys/types.h>

#include "calib/error.h"

enum calib_outfile_kind {
	CALIB_OUTFILE_STDOUT = 0, /* standard output */
	CALIB_OUTFILE_DIRECT,     /* an existing file that is not a regular file */
	CALIB_OUTFILE_ATOMIC      /* a temporary file renamed over the target */
};

struct calib_outfile {
	FILE *fp; /* where to write */
	enum calib_outfile_kind kind;
	char *path;   /* the path as given (NULL for standard output) */
	char *target; /* ATOMIC: the file renamed over, symbolic links followed */
	char *tmp;    /* ATOMIC: the temporary file */
	int slot;     /* ATOMIC: the temporary file's place in the signal list */
};

/*
 * Resolve path as calib_outfile_open does, without opening anything: *kind
 * is what open would make of it, and *target (ATOMIC only, else NULL; the
 * caller frees it) the file a commit renames over. CALIB_OK, or CALIB_EIO
 * (errno's message, e.g. a loop of symbolic links) or CALIB_ENOMEM in err.
 */
enum calib_status calib_outfile_resolve(const char *path, enum calib_outfile_kind *kind,
                                        char **target, struct calib_error *err);

/*
 * Open o for path (see above). CALIB_OK, or CALIB_EIO / CALIB_ENOMEM with
 * the message in err (file: the path), nothing left behind.
 */
enum calib_status calib_outfile_open(struct calib_outfile *o, const char *path,
                                     struct calib_error *err);

/*
 * Finish o: flush and check every write; ATOMIC: fsync, rename into place,
 * fsync the folder; DIRECT: close; STDOUT: flush only, the error left
 * in ferror(stdout) for the program's check at exit. On failure the temporary file is removed and the
 * old file is untouched; the message is in err. o is emptied either way.
 */
enum calib_status calib_outfile_commit(struct calib_outfile *o, struct calib_error *err);

/* Give up: close and remove the temporary file. Cannot fail. */
void calib_outfile_abort(struct calib_outfile *o);

/*
 * The list of what a SIGINT, SIGTERM or SIGHUP cleans up. add registers
 * path (copied) and returns its slot, or -1 when the list is full (8) or
 * memory is short (then the file is simply not removed on a signal);
 * remove frees slot (-1 harmless). child registers the process to kill (0:
 * none). Not thread-safe; signals are blocked while the list changes.
 */
int calib_outfile_cleanup_add(const char *path);
void calib_outfile_cleanup_remove(int slot);
void calib_outfile_cleanup_child(pid_t pid);
/*
 * Hold SIGINT, SIGTERM and SIGHUP (the mask before in *old) until
 * calib_outfile_signals_release(old): a process started and registered in
 * between cannot be missed by the cleanup. Cannot fail.
 */
void calib_outfile_signals_hold(sigset_t *old);
void calib_outfile_signals_release(const sigset_t *old);

#endif
