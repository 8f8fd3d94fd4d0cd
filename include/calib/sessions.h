/*
 * sessions.h - sessions over time, as calib-drift reads them: where a
 * rating's session comes from (a session column, or each file's base name),
 * the checks after reading that the two agree, and the order of the
 * sessions (by date, as given or by name) with the dates written two ways
 * merged into one session. calib-drift and calib-report --history load
 * their inputs through it, so that both see the same sessions.
 *
 * Ownership: nothing here keeps a pointer; the store is the caller's, and
 * the texts returned are static.
 */
#ifndef CALIB_SESSIONS_H
#define CALIB_SESSIONS_H

#include <stddef.h>
#include <stdint.h>

#include "calib/error.h"
#include "calib/reader.h"
#include "calib/store.h"

/* --session-from: where a rating's session comes from. */
enum calib_session_from {
	CALIB_SESSION_FROM_AUTO = 0, /* the session column; file names when none */
	CALIB_SESSION_FROM_COLUMN,   /* the session column */
	CALIB_SESSION_FROM_NAME      /* each file is a session, named by its base name */
};

/* --order: the order of the sessions. */
enum calib_session_order {
	CALIB_SESSION_ORDER_AUTO = 0, /* by date when every session is one, else given */
	CALIB_SESSION_ORDER_GIVEN,    /* first appearance */
	CALIB_SESSION_ORDER_DATE,     /* by date; a session that is no date is an error */
	CALIB_SESSION_ORDER_NAME      /* by the bytes of the (date's ISO) name */
};

/*
 * Before reading files[0..n) (none, or "-", is standard input): set
 * ro->session_from_name as from says, given ro->session (--session).
 * CALIB_OK, or CALIB_EARG (message in err) when standard input would
 * need a name it does not have.
 */
enum calib_status calib_sessions_prepare(struct calib_read_opts *ro,
                                         enum calib_session_from from, char *const *files,
                                         size_t n, struct calib_error *err);

/*
 * After reading into s (as calib_sessions_prepare set ro): check that
 * the sessions read are sessions: with CALIB_SESSION_FROM_NAME no input
 * has a session column that disagrees with its name (given is
 * --session, for standard input, or NULL); an answer key (key is its
 * file name, "consensus" or NULL; its rater id key_rater) has a session
 * on every score; no rating is left without a session. CALIB_OK;
 * CALIB_EINPUT with the message in err; CALIB_ENOMEM.
 */
enum calib_status calib_sessions_check(const struct calib_store *s,
                                       enum calib_session_from from, const char *given,
                                       const char *key, uint32_t key_rater,
                                       struct calib_error *err);

/*
 * Put the sessions of the finished store s in the order asked, and
 * (unless the order is given or by name) name every date as
 * calib_dates_name() does, merging the sessions that are one date
 * written two ways (calib_store_merge_sessions, duplicates by dup as
 * there). date_format is --date-format or NULL. *how receives the words
 * of a footer ("by date", "as given", ...). When the sessions are kept
 * in order of first appearance because one is no date, note (n bytes)
 * receives a line to show once, else "". CALIB_OK; CALIB_EINPUT or
 * CALIB_EARG with the message in err; CALIB_ENOMEM (the store may then
 * be half-merged and should be freed).
 */
enum calib_status calib_sessions_arrange(struct calib_store *s, enum calib_session_order order,
                                         const char *date_format, int dup, const char **how,
                                         char *note, size_t n, struct calib_error *err);

#endif
