/* Privilege dropping with libcap. */
#include <errno.h>
#include <grp.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "error.h"
#include "privilege.h"

int nc_drop_caps(const cap_value_t *caps, int n_caps)
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

int nc_has_cap(cap_value_t cap)
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
