/* fuzz_targets — what users type to name devices: targets
 * (core/target.c: ups@host:port, [v6]:port, ...), outlet lists
 * (core/outlets.c: "1,4-7,all,Name"), the address ranges of a discovery
 * (core/addr_range.c: CIDR, a-b, host names) and the text of a
 * --targets file (cli/targets.c).  The first byte picks the parser; for
 * outlets the second says how many the device has.  Properties: a parsed target
 * written as host:port parses back to the same host and port; selected
 * outlets lie within the device's count; a set of ranges never holds
 * more addresses than allowed and names each of them; every target of a
 * file has a spec and its settings have keys. */
#include "cli/targets.h"
#include "core/addr_range.h"
#include "core/outlets.h"
#include "core/target.h"
#include "fuzz.h"

static void
target(const char *spec, int host_only)
{
	struct pk_target t, again;
	struct pk_err err;
	char text[600];

	if (pk_target_parse(spec, host_only ? PK_TARGET_HOST : PK_TARGET_NAMED, "3493", &t,
	                    &err) != 0)
		return;
	pk_target_label(&t, text, sizeof text);
	pk_target_hostport(&t, text, sizeof text);
	FUZZ_ASSERT(pk_target_parse(text, PK_TARGET_HOST, "1", &again, &err) == 0);
	FUZZ_ASSERT(strcmp(again.host, t.host) == 0 && strcmp(again.port, t.port) == 0);
}

static void
outlets(const char *spec, int count)
{
	static const char *const names[] = { "Dish Hopper", "EA3", "PS5, Xbox", "all", "2",
		                             "Outlet 6", "", NULL, "caf\xe9" };
	unsigned char sel[64];
	struct pk_err err;

	memset(sel, 0, sizeof sel);
	pk_outlets_spec_all(spec);
	if (pk_outlets_parse(spec, count, count <= 9 ? names : NULL, sel, &err) != 0)
		return;
	for (int i = count; i < (int)sizeof sel; i++)
		FUZZ_ASSERT(sel[i] == 0);
	FUZZ_ASSERT(pk_outlets_count(sel, count) <= count);
}

static void
ranges(const char *text)
{
	struct pk_addrs set = { 0 };
	struct pk_addr_range r;
	struct pk_err err;
	char addr[300];
	char *copy = strdup(text), *spec, *save = NULL;

	pk_addr_range_parse(text, &r, &err);
	for (spec = strtok_r(copy, " ", &save); spec; spec = strtok_r(NULL, " ", &save))
		if (pk_addrs_add(&set, spec, 1024, &err) != 0)
			break;
	FUZZ_ASSERT(set.total <= 1024);
	if (set.total > 0) {
		pk_addrs_nth(&set, 0, addr, sizeof addr);
		pk_addrs_nth(&set, set.total / 2, addr, sizeof addr);
		pk_addrs_nth(&set, set.total - 1, addr, sizeof addr);
		FUZZ_ASSERT(addr[0] != '\0');
	}
	pk_addrs_free(&set);
	free(copy);
}

static void
targets_file(const uint8_t *text, size_t len)
{
	static const char *const known[] = { "community", "proto", "port", "user", NULL };
	struct pk_target_list l = { 0 };
	struct pk_err err;
	size_t secret = 0;

	if (pk_targets_parse(&l, (const char *)text, len, "rack.targets", &secret, &err) == 0) {
		for (size_t i = 0; i < l.n; i++) {
			FUZZ_ASSERT(l.v[i].spec != NULL && l.v[i].spec[0] != '\0');
			for (size_t k = 0; k < l.v[i].nkv; k++)
				FUZZ_ASSERT(l.v[i].kv[k].key[0] != '\0');
			pk_target_setting(&l.v[i], "community");
		}
		pk_targets_check_keys(&l, known, &err);
	}
	pk_targets_free(&l);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1)
		return 0;
	if (data[0] % 5 == 4) {
		targets_file(data + 1, size - 1);
		return 0;
	}
	if (data[0] % 5 == 2) {
		/* the second byte: the device's outlet count */
		if (size < 2)
			return 0;
		s = fuzz_str(data + 2, size - 2);
		outlets(s, data[1] % 33);
	} else {
		s = fuzz_str(data + 1, size - 1);
		if (data[0] % 5 == 3)
			ranges(s);
		else
			target(s, data[0] % 5);
	}
	free(s);
	return 0;
}
