/* fuzz_text — device strings on their way out (core/text.c, core/json.c,
 * core/prom.c): escaped for text output and stderr, quoted into a
 * message, made valid UTF-8, written as a JSON string, a Prometheus
 * label value and metric name.  The whole input is one string (NULs
 * included where the function takes a length).  Properties: escaped
 * text holds no control character (TAB only when kept) and is valid
 * UTF-8, a quote fits its buffer, JSON and label values are valid
 * UTF-8 without raw control bytes, metric names use [a-zA-Z0-9_:] only. */
#include "core/json.h"
#include "core/prom.h"
#include "core/text.h"
#include "fuzz.h"

static int
has_byte_below(const struct pk_buf *b, unsigned char limit)
{
	for (size_t i = 0; i < b->len; i++)
		if ((unsigned char)b->data[i] < limit)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pk_buf b = { 0 };
	struct pk_json j;
	char quote[80], name[128];
	char *s = fuzz_str(data, size);

	pk_text_escape(&b, (const char *)data, size, 0);
	FUZZ_ASSERT(fuzz_text_clean(b.data, b.len) && memchr(b.data ? b.data : "", '\t', b.len) == NULL);
	FUZZ_ASSERT(pk_text_is_clean(b.data ? b.data : "", b.len, 0));
	pk_buf_reset(&b);
	pk_text_escape(&b, (const char *)data, size, PK_TEXT_KEEP_TAB);
	FUZZ_ASSERT(fuzz_text_clean(b.data, b.len) && memchr(b.data ? b.data : "", '\n', b.len) == NULL);
	pk_buf_reset(&b);
	pk_text_quote(s, quote, sizeof quote);
	FUZZ_ASSERT(strlen(quote) < sizeof quote && fuzz_text_clean(quote, strlen(quote)));
	pk_utf8_sanitize(&b, (const char *)data, size);
	FUZZ_ASSERT(fuzz_utf8_valid(b.data, b.len));
	pk_buf_reset(&b);
	pk_json_init(&j, &b);
	pk_json_strn(&j, (const char *)data, size);
	FUZZ_ASSERT(fuzz_utf8_valid(b.data, b.len) && !has_byte_below(&b, 0x20));
	pk_buf_reset(&b);
	pk_prom_escape(&b, s);
	FUZZ_ASSERT(fuzz_utf8_valid(b.data, b.len) && !has_byte_below(&b, 0x20));
	pk_buf_reset(&b);
	pk_prom_name(s, name, sizeof name);
	for (const char *p = name; *p; p++)
		FUZZ_ASSERT(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:", *p));
	pk_buf_free(&b);
	free(s);
	return 0;
}
