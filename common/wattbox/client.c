/* client.c — opening a WattBox client with the configured transport. */
#include <string.h>
#include <strings.h>

#include "wattbox/client.h"

int
wb_open_begin(struct wb_client *c, const struct wb_config *cfg,
              const struct pk_session_opts *opts, struct pk_err *err)
{
	int rc;

	memset(c, 0, sizeof *c);
	c->opts = *opts;
	c->cfg = cfg;
	switch (cfg->proto) {
	case WB_SSH:
		rc = wb_ssh_begin(c, err);
		break;
	case WB_HTTP:
		rc = wb_http_begin(c, err);
		break;
	default:
		rc = wb_telnet_begin(c, err);
		break;
	}
	if (rc != 0)
		wb_close(c);
	return rc;
}

int
wb_open(struct wb_client *c, const struct wb_config *cfg, const struct pk_session_opts *opts,
        struct pk_err *err)
{
	int rc = wb_open_begin(c, cfg, opts, err);

	if (rc == 0 && c->s.op != WB_OP_NONE)
		rc = wb_session_wait(&c->s, err);
	if (rc == 0 && cfg->proto == WB_HTTP)
		rc = wb_http_check_peer(c, err);
	if (rc != 0)
		wb_close(c);
	return rc;
}

void
wb_close(struct wb_client *c)
{
	if (c->drv != NULL)
		c->drv->close(c);
	else
		wb_session_close(&c->s);
	c->drv = NULL;
	pk_buf_free(&c->dry);
}

unsigned
wb_round_trips(const struct wb_client *c)
{
	return c->s.round_trips + c->http_requests;
}

const char *
wb_action_word(enum wb_action a)
{
	static const char *const words[] = { "OFF", "ON", "TOGGLE", "RESET" };
	return words[a];
}

int
wb_flag(const char *v)
{
	if (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0)
		return 1;
	if (strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0)
		return 0;
	return -1;
}
