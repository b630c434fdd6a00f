/* The running check's state (state.h). */
#include "state.h"

struct nc_check_state nc_check_state = { .record_fd = -1, .remote_fd = -1 };
