/* fuzz_nut_words — one NUT reply line: the parseconf tokenizer
 * (nut_tokenize), what is read from its words (TYPE replies, VER
 * replies, ERR words) and the client-side validation of a value against
 * a TYPE/ENUM/RANGE made from them.  Properties: every word lies in the
 * store and is NUL-terminated, and words written back with
 * nut_append_word tokenize to the same words. */
#include "nut/client.h"
#include "nut/vars.h"
#include "fuzz.h"

/* Written back as a request line, the words read the same again. */
static void
check_round_trip(const struct nut_words *w)
{
	static struct nut_words again;
	struct pk_buf line = { 0 };
	struct pk_err err;
	size_t i;

	for (i = 0; i < w->n; i++) {
		if (i > 0)
			pk_buf_add(&line, " ", 1);
		if (nut_append_word(&line, w->w[i], 0, &err) != 0)
			break;
	}
	if (i == w->n && nut_tokenize(pk_buf_str(&line), line.len, &again) == 0) {
		FUZZ_ASSERT(again.n == w->n);
		for (i = 0; i < w->n; i++)
			FUZZ_ASSERT(strcmp(again.w[i], w->w[i]) == 0);
	}
	pk_buf_free(&line);
}

/* A variable described by the words ("TYPE ups var RW ENUM ..." as its
 * type, the words after it as ENUM values and RANGE pairs) validates its
 * last word. */
static void
validate_last(const struct nut_words *w)
{
	struct nut_varinfo vi = { 0 };
	struct pk_err err;
	char name[64];
	size_t i;

	vi.name = w->w[0];
	nut_type_parse(w, &vi.type);
	nut_type_name(&vi.type, name, sizeof name);
	for (i = 3; i < w->n; i++) {
		nut_varinfo_add_enum(&vi, w->w[i]);
		if (vi.nrange < NUT_MAX_RANGES && i + 1 < w->n) {
			vi.range[vi.nrange][0] = atol(w->w[i]);
			vi.range[vi.nrange][1] = atol(w->w[i + 1]);
			vi.nrange++;
		}
	}
	nut_validate(&vi, w->w[w->n - 1], &err);
	vi.name = NULL;
	nut_varinfo_free(&vi);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nut_words w;
	struct pk_buf json = { 0 };
	struct pk_json j;
	struct pk_err err;
	char text[512];

	if (nut_tokenize((const char *)data, size, &w) != 0)
		return 0;
	FUZZ_ASSERT(w.n <= NUT_MAX_WORDS);
	for (size_t i = 0; i < w.n; i++) {
		FUZZ_ASSERT(w.w[i] >= w.store && w.w[i] < w.store + sizeof w.store);
		FUZZ_ASSERT(memchr(w.w[i], '\0', w.store + sizeof w.store - w.w[i]) != NULL);
	}
	check_round_trip(&w);
	if (w.n == 0)
		return 0;
	nut_version_text(&w, text, sizeof text);
	nut_err_from_word(&err, w.w[w.n - 1], "GET VAR");
	nut_err_is_unsupported(w.w[0]);
	nut_printable(w.w[0]);
	validate_last(&w);
	pk_json_init(&j, &json);
	pk_json_obj_begin(&j);
	pk_json_key(&j, w.w[0]);
	nut_json_value(&j, w.w[0], w.w[w.n - 1]);
	pk_json_key(&j, "ups.status");
	nut_json_flags(&j, w.w[w.n - 1]);
	pk_json_obj_end(&j);
	FUZZ_ASSERT(fuzz_utf8_valid(json.data, json.len));
	pk_buf_free(&json);
	return 0;
}
