#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int nc_file_read_text(const char *path, char **text)
{
	FILE *in = fopen(path, "re"), *mem;
	char buf[4096], *all = NULL;
	size_t size = 0, got;
	int err = 0;

	*text = NULL;
	if (!in)
		return -errno;
	mem = open_memstream(&all, &size);
	if (!mem) {
		fclose(in);
		return -ENOMEM;
	}
	while ((got = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, got, mem);
	if (ferror(in))
		err = errno ? -errno : -EIO;
	fclose(in);
	if (fclose(mem) != 0 && !err)
		err = -ENOMEM;
	if (!err && strlen(all) != size)
		err = -EINVAL;
	if (err < 0) {
		free(all);
		return err;
	}
	*text = all;
	return 0;
}
