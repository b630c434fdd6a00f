/* A kernel image (harness/vm_kernel.c): its version from the setup
 * header; and the kernel QEMU boots: a bzImage's payload is
 * unpacked and booted only when it is an ELF with a PVH entry point; any
 * other image boots as the bzImage it is.  The images are made here: the
 * boot protocol's header, a payload (gzip, or xz with the 4-byte size the
 * kernel's build appends), and in it an ELF with or without the note. */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "vm_kernel.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18

/* An ELF of one PT_NOTE segment holding a Xen note of type note_type. */
static size_t make_elf(unsigned char *buf, uint32_t note_type)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	Elf64_Phdr *ph = (Elf64_Phdr *)(eh + 1);
	Elf64_Nhdr *note = (Elf64_Nhdr *)(ph + 1);
	unsigned char *name = (unsigned char *)(note + 1);

	memset(buf, 0, 512);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_phoff = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 1;
	ph->p_type = PT_NOTE;
	ph->p_offset = (unsigned char *)note - buf;
	ph->p_filesz = sizeof(*note) + 4 + 4;
	*note = (Elf64_Nhdr){ .n_namesz = 4, .n_descsz = 4, .n_type = note_type };
	memcpy(name, "Xen", 4);
	return 512;
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* dir/image: a bzImage whose payload is the ELF packed by tool ("gzip",
 * "xz"; the xz one with the size appended), its magic spoilt if asked. */
static void make_image(const char *dir, const char *tool, uint32_t note_type, bool spoil)
{
	unsigned char elf[512], image[1 << 16] = { 0 };
	char path[512], command[1024];
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/vmlinux.elf", dir);
	f = fopen(path, "w");
	CU_ASSERT_FATAL(f != NULL);
	fwrite(elf, 1, make_elf(elf, note_type), f);
	fclose(f);
	snprintf(command, sizeof(command), "%s -c '%s' >'%s/payload'", tool, path, dir);
	CU_ASSERT_FATAL(system(command) == 0);
	snprintf(path, sizeof(path), "%s/payload", dir);
	f = fopen(path, "r");
	CU_ASSERT_FATAL(f != NULL);
	len = fread(image + 1024, 1, sizeof(image) - 1024 - 4, f);
	fclose(f);
	if (strcmp(tool, "xz") == 0) {
		put32(image + 1024 + len, 512);
		len += 4;
	}
	if (spoil)
		image[1024] ^= 0xff;
	image[0x1f1] = 1;			/* one setup sector: the code at 1024 */
	memcpy(image + 0x300, "6.1.0-test (nobody@example) #1", 31);
	image[0x20e] = 0x00, image[0x20f] = 0x01;	/* the version at 0x200 + 0x100 */
	memcpy(image + 0x202, "HdrS", 4);
	image[0x206] = 0x0f, image[0x207] = 0x02;	/* protocol 2.15 */
	put32(image + 0x248, 0);		/* payload_offset */
	put32(image + 0x24c, (uint32_t)len);	/* payload_length */
	snprintf(path, sizeof(path), "%s/image", dir);
	f = fopen(path, "w");
	CU_ASSERT_FATAL(f != NULL);
	fwrite(image, 1, 1024 + len, f);
	fclose(f);
}

static void kernel_unpacked_only_with_pvh(void)
{
	static const struct {
		const char *tool;
		uint32_t note;
		bool spoil, unpacked;
	} rows[] = {
		{ "gzip", XEN_ELFNOTE_PHYS32_ENTRY, false, true },
		{ "xz", XEN_ELFNOTE_PHYS32_ENTRY, false, true },	/* the size left off */
		{ "gzip", 5, false, false },		/* a Xen note, not the entry */
		{ "gzip", XEN_ELFNOTE_PHYS32_ENTRY, true, false },	/* no known magic */
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char dir[] = "/tmp/nc-vm-kernel.XXXXXX", image[512], kept[512], boot[512];
		char version[64];
		char command[600];

		CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
		make_image(dir, rows[i].tool, rows[i].note, rows[i].spoil);
		snprintf(image, sizeof(image), "%s/image", dir);
		snprintf(kept, sizeof(kept), "%s/kernels", dir);
		CU_ASSERT_EQUAL(nc_vm_kernel_version(image, version, sizeof(version)), 0);
		CU_ASSERT_STRING_EQUAL(version, "6.1.0-test");
		CU_ASSERT_EQUAL(nc_vm_kernel_version(kept, version, sizeof(version)), -ENOENT);
		CU_ASSERT_EQUAL(nc_vm_kernel_unpacked(image, kept, boot, sizeof(boot)),
				rows[i].unpacked);
		if (rows[i].unpacked) {	/* kept beside the runs, not the image */
			CU_ASSERT_EQUAL(strncmp(boot, kept, strlen(kept)), 0);
		} else {
			CU_ASSERT_STRING_EQUAL(boot, image);
		}
		snprintf(command, sizeof(command), "rm -rf '%s'", dir);
		CU_ASSERT(system(command) == 0);
	}
}

NC_UNIT_SUITE(vm_kernel, NC_UNIT_TEST(kernel_unpacked_only_with_pvh));
