/* A kernel image (vm_kernel.h): its version, and the kernel QEMU boots,
 * the bzImage's payload (the boot protocol's payload_offset and
 * payload_length) unpacked by xz, zstd or gzip as its magic says, checked
 * to be an ELF with a PVH note. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vm_kernel.h"

/* The Xen note that gives a 32-bit entry point (PVH). */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

/* The boot protocol's setup header of a bzImage: its first 0x250 bytes,
 * "HdrS" at 0x202.  False when fd holds no bzImage. */
#define SETUP_HEADER_SIZE 0x250
static bool setup_header(int fd, unsigned char header[SETUP_HEADER_SIZE])
{
	return pread(fd, header, SETUP_HEADER_SIZE, 0) == SETUP_HEADER_SIZE &&
	       memcmp(header + 0x202, "HdrS", 4) == 0;
}

int nc_vm_kernel_version(const char *path, char *buf, size_t size)
{
	unsigned char header[SETUP_HEADER_SIZE];
	char text[256];
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (!setup_header(fd, header)) {
		close(fd);
		return -ENOEXEC;
	}
	/* the version string, where 0x20e points (relative to 0x200) */
	got = pread(fd, text, sizeof(text) - 1, 0x200 + (header[0x20e] | header[0x20f] << 8));
	close(fd);
	if (got <= 0)
		return -ENOEXEC;
	text[got] = '\0';
	text[strcspn(text, " \t\n")] = '\0';	/* "6.1.0-56-amd64 (debian-kernel@...) #1 ..." */
	if (!text[0] || strlen(text) >= size)
		return -ENOEXEC;
	strcpy(buf, text);
	return 0;
}

static uint32_t le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The decompressor of the payload at p, by its magic, or NULL; *trailer:
 * the bytes after the compressed stream (the kernel's build appends the
 * unpacked size to an xz or zstd payload, which the tools refuse). */
static const char *decompressor(const unsigned char *p, size_t n, uint32_t *trailer)
{
	*trailer = 4;
	if (n >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
		return "xz";
	if (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
		return "zstd";
	*trailer = 0;
	if (n >= 2 && memcmp(p, "\x1f\x8b", 2) == 0)
		return "gzip";
	return NULL;
}

/* Whether the ELF image of n bytes at p has a PVH entry point. */
static bool has_pvh_entry(const unsigned char *p, size_t n)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)p;

	if (n < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_phoff > n || eh->e_phnum > (n - eh->e_phoff) / sizeof(Elf64_Phdr))
		return false;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(p + eh->e_phoff) + i;
		size_t at, end;

		if (ph->p_type != PT_NOTE || ph->p_offset > n || ph->p_filesz > n - ph->p_offset)
			continue;
		for (at = ph->p_offset, end = at + ph->p_filesz; at + sizeof(Elf64_Nhdr) <= end;) {
			const Elf64_Nhdr *note = (const Elf64_Nhdr *)(p + at);
			size_t name = (note->n_namesz + 3) & ~(size_t)3;
			size_t desc = (note->n_descsz + 3) & ~(size_t)3;

			if (note->n_namesz == 4 && note->n_type == XEN_ELFNOTE_PHYS32_ENTRY &&
			    at + sizeof(*note) + 4 <= end && memcmp(note + 1, "Xen", 4) == 0)
				return true;
			at += sizeof(*note) + name + desc;
		}
	}
	return false;
}

/* Unpacks the len bytes at offset of fd with tool into path.  0 or -1. */
static int unpack(int fd, off_t offset, size_t len, const char *tool, const char *path)
{
	int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int pipefd[2], status;
	pid_t pid;

	if (out < 0)
		return -1;
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		close(out);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		if (dup2(pipefd[0], 0) < 0 || dup2(out, 1) < 0)
			_exit(127);
		execlp(tool, tool, "-dc", (char *)NULL);
		_exit(127);
	}
	close(pipefd[0]);
	close(out);
	/* the payload, exactly: no trailing bytes for the tool to refuse */
	for (size_t done = 0; pid > 0 && done < len;) {
		char buf[1 << 16];
		ssize_t got = pread(fd, buf, len - done < sizeof(buf) ? len - done : sizeof(buf),
				    offset + (off_t)done);

		if (got <= 0 || write(pipefd[1], buf, (size_t)got) != got)
			break;
		done += (size_t)got;
	}
	close(pipefd[1]);
	if (pid < 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Whether path is an ELF kernel with a PVH entry point. */
static bool bootable(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	void *map;
	bool ok;

	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return false;
	ok = has_pvh_entry(map, (size_t)st.st_size);
	munmap(map, (size_t)st.st_size);
	return ok;
}

bool nc_vm_kernel_unpacked(const char *bzimage, const char *dir, char *boot, size_t size)
{
	unsigned char header[SETUP_HEADER_SIZE], magic[6];
	char path[4096], tmp[4160];
	const char *tool;
	struct stat st;
	off_t payload;
	uint32_t len, trailer = 0;
	int fd;

	snprintf(boot, size, "%s", bzimage);
	fd = open(bzimage, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	/* payload_offset and _length came with protocol 2.08 */
	if (fstat(fd, &st) < 0 || !setup_header(fd, header) ||
	    (header[0x206] | header[0x207] << 8) < 0x208) {
		close(fd);
		return false;
	}
	/* the protected-mode code follows the setup sectors (0: 4) */
	payload = ((header[0x1f1] ? header[0x1f1] : 4) + 1) * 512 + (off_t)le32(header + 0x248);
	len = le32(header + 0x24c);
	tool = pread(fd, magic, sizeof(magic), payload) == (ssize_t)sizeof(magic)
	       ? decompressor(magic, sizeof(magic), &trailer) : NULL;
	/* one file per image: its inode, size and time name it */
	snprintf(path, sizeof(path), "%s/vmlinux-%llx-%llx-%llx", dir, (unsigned long long)st.st_ino,
		 (unsigned long long)st.st_size, (unsigned long long)st.st_mtime);
	if (!tool || len <= trailer || payload + (off_t)len > st.st_size ||
	    (mkdir(dir, 0755) < 0 && errno != EEXIST)) {
		close(fd);
		return false;
	}
	/* made aside, checked and renamed: one there is whole and bootable */
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	if (access(path, R_OK) != 0 &&
	    (unpack(fd, payload, len - trailer, tool, tmp) < 0 || !bootable(tmp) ||
	     rename(tmp, path) < 0)) {
		unlink(tmp);
		close(fd);
		return false;
	}
	close(fd);
	snprintf(boot, size, "%s", path);
	return true;
}
