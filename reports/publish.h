/* The report set of a run (results.xml, junit.xml, ktap.txt, index.html) in
 * an output directory, replaced as a whole or not at all:
 *
 *   DIR/runs/ID/{results.xml,junit.xml,ktap.txt,index.html}   one per run
 *   DIR/latest -> runs/ID                  the last complete set
 *   DIR/results.xml -> latest/results.xml  (and the other three)
 *
 * A run writes its set into a fresh runs/ID and then swaps `latest` to it
 * with one rename(2): a reader of DIR/index.html sees the old set or the new
 * one, never a mix, whatever moment the writer is killed at.  The directory
 * is locked for the whole run, so two runs with the same DIR never write
 * into each other; a set that cannot be written leaves the previous one as
 * it was.  The set before the latest is kept too (runs/ holds two). */
#ifndef NC_PUBLISH_H
#define NC_PUBLISH_H

#include "results.h"

struct nc_report_dir {
	char *path;
	int fd;		/* DIR, flock()ed until nc_report_dir_close() */
};

/* Makes DIR if need be and locks it for this run.  -EBUSY when another run
 * holds it; -EISDIR (or another errno) when a report's name in DIR is taken
 * by something that is not a report.  Returns 0 or -errno with an
 * nc_error() message. */
int nc_report_dir_open(const char *path, struct nc_report_dir *out);
/* Writes run's set into DIR/runs/ID and makes it the latest.  Returns 0 or
 * -errno with an nc_error() message; on failure nothing visible changed. */
int nc_report_dir_publish(struct nc_report_dir *dir, const struct nc_run *run);
void nc_report_dir_close(struct nc_report_dir *dir);

#endif
