/* Privilege dropping: with libcap under glibc; with capget()/capset() where
 * libcap is not built for the C library (the musl build of the checks). */
#include <errno.h>
#include <grp.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "error.h"
#include "privilege.h"

#ifdef __GLIBC__
#include <sys/capability.h>

int nc_drop_caps(const int *caps, int n_caps)
{
	cap_t state = cap_get_proc();
	int err = 0;

	if (!state)
		return -errno;
	if (cap_set_flag(state, CAP_EFFECTIVE, n_caps, caps, CAP_CLEAR) < 0 ||
	    cap_set_flag(state, CAP_PERMITTED, n_caps, caps, CAP_CLEAR) < 0 ||
	    cap_set_flag(state, CAP_INHERITABLE, n_caps, caps, CAP_CLEAR) < 0 ||
	    cap_set_proc(state) < 0)
		err = nc_error(-errno, "drop %d capabilities", n_caps);
	cap_free(state);
	return err;
}

int nc_has_cap(int cap)
{
	cap_flag_value_t value = CAP_CLEAR;
	cap_t state = cap_get_proc();
	int err;

	if (!state)
		return -errno;
	err = cap_get_flag(state, cap, CAP_EFFECTIVE, &value);
	cap_free(state);
	return err < 0 ? -errno : value == CAP_SET;
}
#else
#include <sys/syscall.h>

static struct __user_cap_header_struct cap_header = { _LINUX_CAPABILITY_VERSION_3, 0 };

int nc_drop_caps(const int *caps, int n_caps)
{
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &cap_header, data) < 0)
		return -errno;
	for (int i = 0; i < n_caps; i++) {
		uint32_t bit = 1u << (caps[i] % 32);

		data[caps[i] / 32].effective &= ~bit;
		data[caps[i] / 32].permitted &= ~bit;
		data[caps[i] / 32].inheritable &= ~bit;
	}
	return syscall(SYS_capset, &cap_header, data) < 0 ? -errno : 0;
}

int nc_has_cap(int cap)
{
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &cap_header, data) < 0)
		return -errno;
	return (data[cap / 32].effective >> (cap % 32)) & 1;
}
#endif

int nc_become_user(uid_t uid, gid_t gid)
{
	/* Without setgroups (an unprivileged sandbox denies it) keep the groups. */
	if (setgroups(0, NULL) < 0 && errno != EPERM)
		return nc_error(-errno, "become uid %u: setgroups", (unsigned)uid);
	if (setresgid(gid, gid, gid) < 0)
		return nc_error(-errno, "become gid %u: setresgid", (unsigned)gid);
	if (setresuid(uid, uid, uid) < 0)
		return nc_error(-errno, "become uid %u: setresuid", (unsigned)uid);
	return 0;
}
