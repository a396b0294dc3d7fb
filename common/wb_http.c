#include "wattbox.h"
int
wb_http_open(struct wb_client *c, int64_t deadline, struct pk_err *err)
{
	(void)c; (void)deadline;
	return pk_err_set(err, PK_ECOMM, "http", "http: not yet");
}
