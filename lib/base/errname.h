/* Names of error codes as the document and the reports spell them:
 * "ECONNREFUSED", "EAI_NONAME", and of signals: "SIGKILL".  Unknown codes
 * read "errno 123" / "EAI 123" / "signal 123". */
#ifndef NC_ERRNAME_H
#define NC_ERRNAME_H

const char *nc_errno_name(int err);
const char *nc_eai_name(int code);
const char *nc_signal_name(int sig);

#endif
