/* Names of error codes as the document and the reports spell them:
 * "ECONNREFUSED", "EAI_NONAME".  Unknown codes read "E123" / "EAI_123". */
#ifndef NC_ERRNAME_H
#define NC_ERRNAME_H

const char *nc_errno_name(int err);
const char *nc_eai_name(int code);

#endif
