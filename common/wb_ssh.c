#include "wattbox.h"
int
wb_ssh_open(struct wb_client *c, int64_t deadline, struct pk_err *err)
{
	(void)c; (void)deadline;
	return pk_err_set(err, PK_ECOMM, "ssh", "ssh: not yet");
}
