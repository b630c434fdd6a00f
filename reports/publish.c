/* The report set in an output directory (see publish.h): per-run
 * directories, `latest` swapped with one rename, a lock for the run. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
 * FIFO, so that a test can kill it at a known point without sleeping. */
static void test_pause(const char *stage)
{
	const char *spec = getenv("NC_TEST_REPORT_PAUSE");
	size_t len = strlen(stage);
	int fd;

	if (!spec || strncmp(spec, stage, len) != 0 || spec[len] != ':')
		return;
	fd = open(spec + len + 1, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		dprintf(fd, "%s\n", stage);
		close(fd);
	}
	for (;;)
		pause();
}

static const char *kind_of(mode_t mode)
{
	return S_ISDIR(mode) ? "directory" : S_ISLNK(mode) ? "symbolic link" :
	       S_ISREG(mode) ? "file" : "special file";
}

/* name in DIR is absent or of the type we would put there. */
static int name_free_for(const struct nc_report_dir *dir, const char *name, mode_t want)
{
	struct stat st;

	if (fstatat(dir->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : nc_error(-errno, "%s/%s", dir->path, name);
	/* A plain file where a link goes is a report of an older netconform. */
	if ((st.st_mode & S_IFMT) == want || (want == S_IFLNK && S_ISREG(st.st_mode) &&
					     strcmp(name, LATEST) != 0))
		return 0;
	return nc_error(S_ISDIR(st.st_mode) ? -EISDIR : -EEXIST,
			"--out %s: a %s named %s is where netconform's %s goes (move it away)",
			dir->path, kind_of(st.st_mode), name,
			want == S_IFDIR ? "directory" : "link");
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
	err = name_free_for(out, RUNS, S_IFDIR);
	if (!err)
		err = name_free_for(out, LATEST, S_IFLNK);
	for (size_t i = 0; i < N_REPORTS && !err; i++)
		err = name_free_for(out, reports[i].name, S_IFLNK);
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

/* Removes DIR/runs/name and what netconform put in it; nothing else. */
static void remove_run(int runs_fd, const char *name)
{
	int fd = openat(runs_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = dir_stream(fd);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL)
		if (e->d_type == DT_REG)
			unlinkat(fd, e->d_name, 0);
	closedir(d);
	unlinkat(runs_fd, name, AT_REMOVEDIR);
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

static bool links_to(int fd, const char *name, const char *target)
{
	char buf[PATH_MAX];
	ssize_t n = readlinkat(fd, name, buf, sizeof(buf) - 1);

	if (n < 0)
		return false;
	buf[n] = '\0';
	return strcmp(buf, target) == 0;
}

/* Reports of an older netconform are plain files in DIR: they become a run
 * of their own and the latest (hard links: they stay where they are too), so
 * that replacing them with links never shows a mixed set.  previous gets
 * "runs/ID-before", or stays "" when there is nothing to adopt. */
static int adopt_plain_reports(const struct nc_report_dir *dir, int runs_fd, const char *id,
			       char *previous, size_t size)
{
	char name[NAME_MAX + 1], path[PATH_MAX];
	struct stat st;
	bool made = false;

	snprintf(name, sizeof(name), "%s-before", id);
	for (size_t i = 0; i < N_REPORTS; i++) {
		if (fstatat(dir->fd, reports[i].name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (!made && mkdirat(runs_fd, name, 0755) < 0)
			return nc_error(-errno, "%s/%s/%s", dir->path, RUNS, name);
		made = true;
		snprintf(path, sizeof(path), "%s/%s", name, reports[i].name);
		if (linkat(dir->fd, reports[i].name, runs_fd, path, 0) < 0)
			return nc_error(-errno, "%s/%s/%s", dir->path, RUNS, path);
	}
	if (!made)
		return 0;
	snprintf(previous, size, RUNS "/%s", name);
	return link_replace(dir, LATEST, previous);
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
		if (mkdirat(runs_fd, id, 0755) == 0)
			break;
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
	if (!err && n < 0)
		err = adopt_plain_reports(dir, runs_fd, id, previous, sizeof(previous));
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
