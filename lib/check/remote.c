/* Engine calls over a socketpair (remote.h). */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "error.h"
#include "remote.h"
#include "state.h"

/* buf[0..len) into fields (pointing into buf): how many, or -EBADMSG. */
static int nc_remote_decode(char *buf, size_t len, struct nc_remote_field *fields, size_t max)
{
	size_t used = 0, n = 0;

	while (used < len) {
		uint32_t field_len;

		if (n == max || len - used < sizeof(field_len))
			return -EBADMSG;
		memcpy(&field_len, buf + used, sizeof(field_len));
		used += sizeof(field_len);
		if (len - used < field_len)
			return -EBADMSG;
		fields[n++] = (struct nc_remote_field){ buf + used, field_len };
		used += field_len;
	}
	return (int)n;
}

/* fields[0..n) as one message, sent from where they lie: no copy, and no
 * buffer of the message's largest size (under musl, each one an mmap() and
 * a munmap(), whose TLB flush is the dearest call of a check's engine). */
static int send_fields(int fd, const struct nc_remote_field *fields, size_t n)
{
	uint32_t lens[NC_REMOTE_MAX_FIELDS];
	struct iovec iov[2 * NC_REMOTE_MAX_FIELDS];
	struct msghdr msg = { .msg_iov = iov };
	size_t total = 0;
	ssize_t sent;

	if (n > NC_REMOTE_MAX_FIELDS)
		return -E2BIG;
	for (size_t i = 0; i < n; i++) {
		if (NC_REMOTE_MSG_SIZE - total < sizeof(lens[i]) ||
		    fields[i].len > NC_REMOTE_MSG_SIZE - total - sizeof(lens[i]))
			return -EMSGSIZE;
		lens[i] = (uint32_t)fields[i].len;
		iov[msg.msg_iovlen++] = (struct iovec){ &lens[i], sizeof(lens[i]) };
		if (lens[i])
			iov[msg.msg_iovlen++] = (struct iovec){ fields[i].data, lens[i] };
		total += sizeof(lens[i]) + lens[i];
	}
	sent = sendmsg(fd, &msg, MSG_NOSIGNAL);
	if (sent < 0)
		return -errno;
	return (size_t)sent == total ? 0 : -EMSGSIZE;
}

static int receive_fields(int fd, char *buf, size_t size, struct nc_remote_field *fields,
			  size_t max)
{
	ssize_t len;

	do
		len = recv(fd, buf, size, MSG_TRUNC);
	while (len < 0 && errno == EINTR);
	if (len < 0)
		return -errno;
	if ((size_t)len > size)
		return -EMSGSIZE;
	return len == 0 ? 0 : nc_remote_decode(buf, (size_t)len, fields, max);
}

void nc_remote_open(int fd)
{
	nc_check_state.remote_fd = fd;
}

/* One call at a time, whichever thread makes it: the reply read is the
 * request's.  Its buffer is the program's, faulted in only as far as
 * replies reach. */
static pthread_mutex_t calling = PTHREAD_MUTEX_INITIALIZER;
static char reply[NC_REMOTE_MSG_SIZE];

static int call_locked(const char *name, struct nc_remote_field *fields, size_t n_args,
		struct nc_remote_field *values, size_t n_values)
{
	int32_t status;
	int n, err;

	err = send_fields(nc_check_state.remote_fd, fields, n_args + 1);
	if (err < 0)
		return nc_error(err, "%s: sending to the engine", name);
	n = receive_fields(nc_check_state.remote_fd, reply, sizeof(reply), fields,
			   NC_REMOTE_MAX_FIELDS);
	if (n < 2 || fields[0].len != sizeof(status))
		return nc_error(n < 0 ? n : -EPROTO, "%s: no reply from the engine", name);
	memcpy(&status, fields[0].data, sizeof(status));
	if (status < 0 && fields[1].len > 1)
		nc_error(status, "%.*s", (int)fields[1].len - 1, (const char *)fields[1].data);
	for (size_t i = 0; i < n_values; i++) {
		size_t len = i + 2 < (size_t)n ? fields[i + 2].len : 0;

		if (len > values[i].len)
			len = values[i].len;
		if (len)
			memcpy(values[i].data, fields[i + 2].data, len);
		values[i].len = len;
	}
	return status;
}

int nc_remote_call(const char *name, const struct nc_remote_field *args, size_t n_args,
		   struct nc_remote_field *values, size_t n_values)
{
	struct nc_remote_field fields[NC_REMOTE_MAX_FIELDS];
	int status;

	if (nc_check_state.remote_fd < 0)
		return nc_error(-ENOTCONN, "%s: no engine to call", name);
	if (n_args + 1 > NC_REMOTE_MAX_FIELDS)
		return -E2BIG;
	fields[0] = NC_REMOTE_STR(name);
	for (size_t i = 0; i < n_args; i++)
		fields[i + 1] = args[i];
	pthread_mutex_lock(&calling);
	status = call_locked(name, fields, n_args, values, n_values);
	pthread_mutex_unlock(&calling);
	return status;
}

int nc_remote_receive(int fd, char *buf, size_t size, struct nc_remote_field *fields,
		      size_t max)
{
	int n = receive_fields(fd, buf, size, fields, max);

	if (n > 0 && (fields[0].len == 0 || ((char *)fields[0].data)[fields[0].len - 1] != '\0'))
		return -EBADMSG;
	return n;
}

int nc_remote_reply(int fd, int status, const char *message,
		    const struct nc_remote_field *values, size_t n)
{
	struct nc_remote_field fields[NC_REMOTE_MAX_FIELDS];
	int32_t status32 = status;

	if (n + 2 > NC_REMOTE_MAX_FIELDS)
		return -E2BIG;
	fields[0] = NC_REMOTE_VAL(status32);
	fields[1] = NC_REMOTE_STR(message ? message : "");
	for (size_t i = 0; i < n; i++)
		fields[i + 2] = values[i];
	return send_fields(fd, fields, n + 2);
}
