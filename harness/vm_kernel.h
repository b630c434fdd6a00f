/* A kernel image (vm_kernel.c): its version, and the kernel QEMU boots.
 * A bzImage decompresses itself inside the guest, which under TCG took 2.5
 * of a boot's 6.5 s (Debian's 6.1: an 8 MB xz payload, 66 MB unpacked).  Its payload, a vmlinux ELF, is
 * unpacked once on the host, kept beside the runs, and booted by its PVH
 * entry point where it has one (CONFIG_PVH). */
#ifndef NC_VM_KERNEL_H
#define NC_VM_KERNEL_H

#include <stdbool.h>
#include <stddef.h>

/* The version string bzimage carries ("6.1.0-56-amd64"), in buf.  0,
 * -ENOEXEC when path is no bzImage, or -errno. */
int nc_vm_kernel_version(const char *bzimage, char *buf, size_t size);

/* In boot, the image QEMU is given for bzimage: the unpacked kernel, kept
 * in dir (made if missing), or bzimage itself when it cannot be unpacked
 * or has no PVH entry point (then the boot is as slow as ever, never
 * broken).  Returns true when it is the unpacked one. */
bool nc_vm_kernel_unpacked(const char *bzimage, const char *dir, char *boot, size_t size);

#endif
