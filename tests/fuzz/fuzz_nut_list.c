/* fuzz_nut_list — what a NUT server sends back: reply lines and LIST
 * framing ("BEGIN LIST ...", items, "END LIST ...", ERR in its place)
 * as the client reads them (nut/client.c, nut/pipeline.c), then the
 * renderings of what was read (nut/render.c).  The first byte picks the
 * exchange, the rest is the server's byte stream, already received and
 * followed by a close, so no socket is involved: the requests are only
 * queued (never flushed) and every read finds its line buffered.
 * Properties: JSON and Prometheus output is valid UTF-8; text output is
 * valid UTF-8 without control bytes but the newline and the TAB. */
#include "core/clock.h"
#include "nut/client.h"
#include "nut/pipeline.h"
#include "nut/render.h"
#include "fuzz.h"

static const struct pk_target target = { "ups", "nas", "3493", 1 };

/* Renders l in every format with fn, checking each. */
static void
render_all(void (*fn)(struct pk_buf *, const struct nut_doc *, const struct nut_kvlist *),
           const struct nut_kvlist *l)
{
	for (int f = PK_FMT_TEXT; f <= PK_FMT_PROM; f++) {
		struct nut_doc d = { (enum pk_format)f, &target };
		struct pk_buf b = { 0 };

		fn(&b, &d, l);
		if (f == PK_FMT_TEXT)
			FUZZ_ASSERT(fuzz_text_clean(b.data, b.len));
		else
			FUZZ_ASSERT(fuzz_utf8_valid(b.data, b.len));
		pk_buf_free(&b);
	}
}

static void
render_ups_list(struct pk_buf *b, const struct nut_doc *d, const struct nut_kvlist *l)
{
	nut_render_ups_list(b, d, l, 1);
}

static void
render_cmds(struct pk_buf *b, const struct nut_doc *d, const struct nut_kvlist *l)
{
	nut_render_cmds(b, d, l, NUT_CMDS_UPSCMD);
}

/* LIST CMD, then GET CMDDESC of every command it named (upscmd -l). */
static void
cmds(struct nut_client *c, struct nut_kvlist *l, struct pk_err *err)
{
	struct pk_err *errs;

	if (nut_list_read(c, "ups", 2, -1, l, err) != 0 || nut_names_sendable(l, "CMD", err) != 0)
		return;
	errs = calloc(l->n + 1, sizeof *errs);
	if (nut_get_many_send(c, "CMDDESC", "ups", l, err) == 0 &&
	    nut_get_many_read(c, "CMDDESC", "ups", l, errs, err) == 0)
		render_all(render_cmds, l);
	free(errs);
}

/* GET VAR of three variables, pipelined. */
static void
values(struct nut_client *c, struct nut_kvlist *l, struct pk_err *err)
{
	static const char *const names[] = { "ups.status", "battery.charge", "device.mfr" };
	struct pk_err errs[3];

	for (size_t i = 0; i < 3; i++)
		nut_kvlist_add(l, names[i], NULL);
	if (nut_get_many_send(c, "VAR", "ups", l, err) != 0 ||
	    nut_get_many_read(c, "VAR", "ups", l, errs, err) != 0)
		return;
	for (int f = PK_FMT_TEXT; f <= PK_FMT_JSON; f++) {
		struct nut_doc d = { (enum pk_format)f, &target };
		struct pk_buf b = { 0 };

		nut_render_values(&b, &d, "VAR", l, errs);
		if (f == PK_FMT_JSON)
			FUZZ_ASSERT(fuzz_utf8_valid(b.data, b.len));
		pk_buf_free(&b);
	}
}

/* A login and a tracked SET VAR. */
static void
login_and_set(struct nut_client *c, struct pk_err *err)
{
	char id[64];

	if (nut_auth_read(c, 2, err) == 0)
		nut_reply_tracked(c, "SET VAR", id, sizeof id, err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pk_session_opts opts = { 0 };
	struct nut_client c;
	struct nut_kvlist l = { 0 };
	struct pk_err err;

	if (size < 1)
		return 0;
	opts.deadline = pk_deadline_in(1000);
	nut_init(&c, &opts);
	snprintf(c.where, sizeof c.where, "nas:3493");
	pk_buf_add(&c.conn.in, data + 1, size - 1);
	c.conn.peer_closed = 1;
	switch (data[0] % 5) {
	case 0:
		if (nut_list_read(&c, "ups", 2, 3, &l, &err) == 0)
			render_all(nut_render_vars, &l);
		break;
	case 1:
		if (nut_list_read(&c, NULL, 1, 2, &l, &err) == 0)
			render_all(render_ups_list, &l);
		break;
	case 2:
		cmds(&c, &l, &err);
		break;
	case 3:
		values(&c, &l, &err);
		break;
	default:
		login_and_set(&c, &err);
		break;
	}
	nut_kvlist_free(&l);
	nut_close(&c);
	return 0;
}
