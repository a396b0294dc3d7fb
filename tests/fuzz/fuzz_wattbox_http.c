/* fuzz_wattbox_http — the body of the legacy HTTP API's
 * /wattbox_info.xml as wattctl --proto http reads it (wattbox/http.c,
 * through wb_http_parse_info: no connection), then its renderings.  The
 * first byte picks the outlets read (all, 1 and 3, one by name).
 * Properties: readings are finite, outlet counts within bounds, JSON and
 * Prometheus output valid UTF-8, text output free of control bytes but
 * the newline and TAB. */
#include <math.h>

#include "wattbox/actions.h"
#include "wattbox/client.h"
#include "wattbox/render.h"
#include "fuzz.h"

static void
drop_note(void *ctx, const char *line)
{
	(void)ctx, (void)line;
}

static void
check(struct pk_buf *b, enum pk_format f)
{
	if (f == PK_FMT_TEXT)
		FUZZ_ASSERT(fuzz_text_clean(b->data, b->len));
	else
		FUZZ_ASSERT(fuzz_utf8_valid(b->data, b->len));
	pk_buf_reset(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const specs[] = { NULL, "1,3", "Dish Hopper" };
	static struct wb_reading r;
	struct pk_session_opts opts = { 0 };
	struct wb_prom_unit unit = { "wb:80", 1, &r };
	struct pk_buf b = { 0 };
	struct pk_err err;
	char *xml;

	if (size < 1)
		return 0;
	xml = fuzz_str(data + 1, size - 1);
	opts.warn = drop_note;
	memset(&r, 0, sizeof r);
	wb_http_parse_info(xml, specs[data[0] % 3], &r, &opts, &err);
	FUZZ_ASSERT(r.st.count >= 0 && r.st.count <= WB_MAX_OUTLETS);
	if (r.have & WB_PART_POWER)
		FUZZ_ASSERT(isfinite(r.power.volts) && isfinite(r.power.amps) &&
		            isfinite(r.power.watts));
	for (int f = PK_FMT_TEXT; f <= PK_FMT_JSON; f++) {
		if (r.have & WB_PART_INFO) {
			wb_render_info(&b, (enum pk_format)f, &r.info);
			check(&b, (enum pk_format)f);
		}
		if (r.have & WB_PART_STATUS) {
			wb_render_status(&b, (enum pk_format)f, &r.st, r.sel);
			check(&b, (enum pk_format)f);
		}
		if (r.have & WB_PART_UPS) {
			wb_render_ups(&b, (enum pk_format)f, &r.ups);
			check(&b, (enum pk_format)f);
		}
	}
	wb_render_prom(&b, &unit, 1);
	check(&b, PK_FMT_PROM);
	pk_buf_free(&b);
	free(xml);
	return 0;
}
