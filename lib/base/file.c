#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

int nc_file_write(const char *path, const char *text, bool create)
{
	size_t len = strlen(text);
	int flags = O_WRONLY | O_CLOEXEC | (create ? O_CREAT | O_TRUNC : 0);
	int fd = open(path, flags, 0644), err = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	close(fd);
	return err;
}

ssize_t nc_file_read(const char *path, char *buf, size_t size)
{
	int fd, err = 0;
	ssize_t n;

	if (size == 0)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		err = -errno;
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return err < 0 ? err : n;
}

int nc_file_read_input(const char *path, size_t cap, char **data, size_t *len)
{
	struct stat st;
	size_t used = 0, size;
	char *buf;
	int fd, err = 0;

	*data = NULL;
	*len = 0;
	/* O_NONBLOCK: opening a FIFO with no writer must not wait for one. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		err = -errno;
	else if (S_ISDIR(st.st_mode))
		err = -EISDIR;
	else if (!S_ISREG(st.st_mode))
		err = NC_ENOTREG;
	else if ((size_t)st.st_size > cap)
		err = -EFBIG;
	size = err ? 0 : (size_t)st.st_size + 1;
	buf = err ? NULL : malloc(size);
	if (!err && !buf)
		err = -ENOMEM;
	while (!err) {
		ssize_t n = read(fd, buf + used, size - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : 0;
			break;
		}
		used += (size_t)n;
		if (used == size)	/* it grew while we read */
			err = -EFBIG;
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	buf[used] = '\0';
	*data = buf;
	*len = used;
	return 0;
}

int nc_file_read_text(const char *path, size_t cap, char **text)
{
	size_t len;
	int err = nc_file_read_input(path, cap, text, &len);

	if (!err && strlen(*text) != len) {
		free(*text);
		*text = NULL;
		err = -EILSEQ;
	}
	return err;
}

const char *nc_file_input_error(int err)
{
	switch (err) {
	case NC_ENOTREG:
		return "not a regular file (a device, a pipe or a socket)";
	case -EFBIG:
		return "larger than netconform reads (1 MiB for a text file, 256 MiB for results)";
	case -EILSEQ:
		return "not a text file (it holds a NUL byte)";
	default:
		return strerror(-err);
	}
}
