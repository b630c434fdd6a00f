/* The report set in an output directory (see publish.h): per-run
 * directories, `latest` swapped with one rename, a lock for the run. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "publish.h"

#define RUNS	"runs"
#define LATEST	"latest"
/* What proves a directory is netconform's: DIR's, and each run's. */
#define DIR_MARKER	".netconform"
#define RUN_MARKER	".netconform-run"

static const struct report {
	const char *name;
	int (*write)(const struct nc_run *, const char *);
} reports[] = {
	{ "results.xml", nc_results_write },
	{ "junit.xml", nc_junit_write },
	{ "ktap.txt", nc_ktap_write },
	{ "index.html", nc_html_write },
};
#define N_REPORTS (sizeof(reports) / sizeof(reports[0]))

/* Tests only: NC_TEST_REPORT_PAUSE=STAGE:FIFO stops the writer at STAGE
 * (a report's name once written, "linked", "swapped") after saying so on
 * FIFO, so that a test can kill it at a known point without sleeping, or
 * signal it there and let it go on with SIGCONT. */
static void test_pause(const char *stage)
{
	const char *spec = getenv("NC_TEST_REPORT_PAUSE");
	size_t len = strlen(stage);
	sigset_t cont;
	int fd, sig;

	if (!spec || strncmp(spec, stage, len) != 0 || spec[len] != ':')
		return;
	sigemptyset(&cont);
	sigaddset(&cont, SIGCONT);
	sigprocmask(SIG_BLOCK, &cont, NULL);
	fd = open(spec + len + 1, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		dprintf(fd, "%s\n", stage);
		close(fd);
	}
	sigwait(&cont, &sig);
	sigprocmask(SIG_UNBLOCK, &cont, NULL);
}

static bool links_to(int fd, const char *name, const char *target)
{
	char buf[PATH_MAX];
	ssize_t n = readlinkat(fd, name, buf, sizeof(buf) - 1);

	if (n < 0)
		return false;
	buf[n] = '\0';
	return strcmp(buf, target) == 0;
}

static const char *kind_of(mode_t mode)
{
	return S_ISDIR(mode) ? "directory" : S_ISLNK(mode) ? "symbolic link" :
	       S_ISREG(mode) ? "file" : "special file";
}

/* Whether fd/name is a regular file (the marker netconform leaves). */
static bool has_marker(int fd, const char *name)
{
	struct stat st;

	return fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

static int make_marker(int fd, const char *name)
{
	static const char text[] = "netconform writes here: it removes only what it wrote "
				   "(runs/ID holding " RUN_MARKER ", and its links)\n";
	int file = openat(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	int err = 0;

	if (file < 0)
		return -errno;
	if (write(file, text, sizeof(text) - 1) != (ssize_t)(sizeof(text) - 1))
		err = errno ? -errno : -EIO;
	close(file);
	return err;
}

/* The first name in DIR, or NULL when it is empty; -errno in *err. */
static bool first_entry(int fd, char *name, size_t size, int *err)
{
	DIR *d = fdopendir(dup(fd));
	struct dirent *e;
	bool found = false;

	*err = 0;
	if (!d) {
		*err = -errno;
		return false;
	}
	while (!found && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			snprintf(name, size, "%s", e->d_name);
			found = true;
		}
	closedir(d);
	return found;
}

/* name in DIR is absent or what netconform puts there: a directory, or a
 * symbolic link to target. */
static int name_free_for(const struct nc_report_dir *dir, const char *name, const char *target)
{
	struct stat st;

	if (fstatat(dir->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : nc_error(-errno, "%s/%s", dir->path, name);
	if (!target ? S_ISDIR(st.st_mode) : S_ISLNK(st.st_mode) && links_to(dir->fd, name, target))
		return 0;
	return nc_error(S_ISDIR(st.st_mode) ? -EISDIR : -EEXIST,
			"--out %s: a %s named %s is where netconform's %s goes, and netconform "
			"did not make it (move it away)", dir->path, kind_of(st.st_mode), name,
			!target ? "directory" : "link");
}

/* DIR is netconform's: its marker is there, or DIR is empty and gets one.
 * A directory of anything else is the user's, and refused whole. */
static int claim(const struct nc_report_dir *dir)
{
	char name[NAME_MAX + 1];
	int err;

	if (has_marker(dir->fd, DIR_MARKER))
		return 0;
	if (first_entry(dir->fd, name, sizeof(name), &err))
		return nc_error(-ENOTEMPTY, "--out %s: holds %s and is not a report directory "
				"of netconform (no %s): give a new or empty directory",
				dir->path, name, DIR_MARKER);
	if (!err)
		err = make_marker(dir->fd, DIR_MARKER);
	return err < 0 ? nc_error(err, "--out %s/%s", dir->path, DIR_MARKER) : 0;
}

/* latest is absent or a link netconform made: runs/ID. */
static int latest_is_ours(const struct nc_report_dir *dir)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(dir->fd, LATEST, target, sizeof(target) - 1);

	if (n < 0 && errno == ENOENT)
		return 0;
	if (n > 0) {
		target[n] = '\0';
		if (strncmp(target, RUNS "/", strlen(RUNS "/")) == 0 &&
		    !strchr(target + strlen(RUNS "/"), '/'))
			return 0;
	}
	return name_free_for(dir, LATEST, RUNS "/");	/* says what is there */
}

/* Whether DIR/runs takes files, before any check runs. */
static int probe(const struct nc_report_dir *dir)
{
	static const char name[] = RUNS "/.netconform-probe";
	int fd = openat(dir->fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return nc_error(-errno, "--out %s", dir->path);
	close(fd);
	unlinkat(dir->fd, name, 0);
	return 0;
}

int nc_report_dir_open(const char *path, struct nc_report_dir *out)
{
	int err;

	out->fd = -1;
	out->path = strdup(path);
	if (!out->path)
		return nc_error(-ENOMEM, "--out %s", path);
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		err = nc_error(-errno, "--out %s", path);
		goto fail;
	}
	out->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (out->fd < 0) {
		err = nc_error(-errno, "--out %s", path);
		goto fail;
	}
	/* Held by this open file until the run ends, or dies. */
	if (flock(out->fd, LOCK_EX | LOCK_NB) < 0 && errno != ENOLCK && errno != EOPNOTSUPP) {
		err = errno == EWOULDBLOCK
			? nc_error(-EBUSY, "--out %s: another run is writing its reports there",
				   path)
			: nc_error(-errno, "--out %s: cannot lock it", path);
		goto fail;
	}
	err = claim(out);
	if (!err)
		err = name_free_for(out, RUNS, NULL);
	if (!err)
		err = latest_is_ours(out);
	for (size_t i = 0; i < N_REPORTS && !err; i++) {
		char target[PATH_MAX];

		snprintf(target, sizeof(target), LATEST "/%s", reports[i].name);
		err = name_free_for(out, reports[i].name, target);
	}
	if (!err && mkdirat(out->fd, RUNS, 0755) < 0 && errno != EEXIST)
		err = nc_error(-errno, "--out %s: cannot make %s/", path, RUNS);
	if (!err)
		err = probe(out);
	if (err)
		goto fail;
	return 0;
fail:
	nc_report_dir_close(out);
	return err;
}

void nc_report_dir_close(struct nc_report_dir *dir)
{
	if (dir->fd >= 0)
		close(dir->fd);
	dir->fd = -1;
	free(dir->path);
	dir->path = NULL;
}

/* A DIR stream on fd, which it then owns; NULL (fd closed) on failure. */
static DIR *dir_stream(int fd)
{
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (!d && fd >= 0)
		close(fd);
	return d;
}

/* Removes DIR/runs/name and what netconform put in it, when its marker says
 * netconform made it; nothing else (a file of the user's keeps the directory). */
static void remove_run(int runs_fd, const char *name)
{
	int fd = openat(runs_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return;
	if (has_marker(fd, RUN_MARKER)) {
		for (size_t i = 0; i < N_REPORTS; i++)
			unlinkat(fd, reports[i].name, 0);
		unlinkat(fd, RUN_MARKER, 0);
		unlinkat(runs_fd, name, AT_REMOVEDIR);
	}
	close(fd);
}

/* Points DIR/name at target with one rename: no moment without it. */
static int link_replace(const struct nc_report_dir *dir, const char *name, const char *target)
{
	char tmp[NAME_MAX + 1];

	snprintf(tmp, sizeof(tmp), ".%s.new", name);
	unlinkat(dir->fd, tmp, 0);
	if (symlinkat(target, dir->fd, tmp) < 0)
		return nc_error(-errno, "%s/%s", dir->path, tmp);
	if (renameat(dir->fd, tmp, dir->fd, name) < 0) {
		int err = nc_error(-errno, "%s/%s", dir->path, name);

		unlinkat(dir->fd, tmp, 0);
		return err;
	}
	return 0;
}

/* Removes every run but the new one and the one before it: what a killed
 * run left half-written goes too. */
static void prune(int runs_fd, const char *id, const char *previous)
{
	const char *keep = strncmp(previous, RUNS "/", strlen(RUNS "/")) == 0
			   ? previous + strlen(RUNS "/") : "";
	DIR *d = dir_stream(dup(runs_fd));
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL)
		if (e->d_type == DT_DIR && e->d_name[0] != '.' && strcmp(e->d_name, id) != 0 &&
		    strcmp(e->d_name, keep) != 0)
			remove_run(runs_fd, e->d_name);
	closedir(d);
}

int nc_report_dir_publish(struct nc_report_dir *dir, const struct nc_run *run)
{
	char id[64], path[PATH_MAX], target[PATH_MAX], previous[PATH_MAX] = "";
	time_t now = time(NULL);
	struct tm tm;
	int runs_fd, fd, err = 0;
	ssize_t n;

	runs_fd = openat(dir->fd, RUNS, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (runs_fd < 0)
		return nc_error(-errno, "%s/%s", dir->path, RUNS);
	gmtime_r(&now, &tm);
	for (unsigned attempt = 0;; attempt++) {
		size_t used = strftime(id, sizeof(id), "%Y%m%dT%H%M%SZ", &tm);

		snprintf(id + used, sizeof(id) - used, attempt ? "-%d.%u" : "-%d",
			 (int)getpid(), attempt);
		if (mkdirat(runs_fd, id, 0755) == 0) {
			fd = openat(runs_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			err = fd < 0 ? -errno : make_marker(fd, RUN_MARKER);
			if (fd >= 0)
				close(fd);
			if (err < 0) {
				err = nc_error(err, "%s/%s/%s", dir->path, RUNS, id);
				unlinkat(runs_fd, id, AT_REMOVEDIR);
				close(runs_fd);
				return err;
			}
			break;
		}
		if (errno != EEXIST || attempt == 100) {
			err = nc_error(-errno, "%s/%s/%s", dir->path, RUNS, id);
			close(runs_fd);
			return err;
		}
	}
	for (size_t i = 0; i < N_REPORTS && !err; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s/%s", dir->path, RUNS, id, reports[i].name);
		err = reports[i].write(run, path);
		if (err < 0)
			err = nc_error(err, "%s", path);
		else
			test_pause(reports[i].name);
	}
	/* The set is on disk before anything points at it. */
	fd = err ? -1 : openat(runs_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
		fsync(runs_fd);
	}
	n = readlinkat(dir->fd, LATEST, previous, sizeof(previous) - 1);
	previous[n > 0 ? n : 0] = '\0';
	for (size_t i = 0; i < N_REPORTS && !err; i++) {
		snprintf(target, sizeof(target), LATEST "/%s", reports[i].name);
		if (!links_to(dir->fd, reports[i].name, target))
			err = link_replace(dir, reports[i].name, target);
	}
	if (!err) {
		test_pause("linked");
		snprintf(target, sizeof(target), RUNS "/%s", id);
		err = link_replace(dir, LATEST, target);
	}
	if (err) {
		remove_run(runs_fd, id);
		close(runs_fd);
		return err;
	}
	fsync(dir->fd);
	test_pause("swapped");
	prune(runs_fd, id, previous);
	close(runs_fd);
	return 0;
}
