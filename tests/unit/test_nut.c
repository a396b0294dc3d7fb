/* Unit tests for the NUT client library: the parseconf tokeniser,
 * quoting of what is sent, ERR mapping, TYPE parsing, validation and
 * the JSON typing rule. */
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "nut/client.h"
#include "cli/nut_tools.h"
#include "nut/prom_names.h"
#include "nut/vars.h"
#include "tap.h"

static int
tok(const char *line, struct nut_words *w)
{
	return nut_tokenize(line, strlen(line), w);
}

static void
test_tokenizer(void)
{
	struct nut_words w;
	char big[NUT_MAX_LINE + 10];

	TAP_OK(tok("VAR dummy ups.status \"OL CHRG\"", &w) == 0 && w.n == 4, "quoted value is one word");
	TAP_STREQ(w.w[3], "OL CHRG", "quotes removed");
	TAP_OK(tok("VAR d ups.id \"rack \\\"A\\\" \\#1\"", &w) == 0 && w.n == 4, "escaped quote and hash");
	TAP_STREQ(w.w[3], "rack \"A\" #1", "escapes resolved");
	TAP_OK(tok("VAR d n \"path C:\\\\UPS\\\\log\"", &w) == 0, "escaped backslashes");
	TAP_STREQ(w.w[3], "path C:\\UPS\\log", "backslashes resolved");
	TAP_OK(tok("VAR d n \"\"", &w) == 0 && w.n == 4 && w.w[3][0] == '\0', "empty quoted word kept");
	TAP_OK(tok("OK # a comment", &w) == 0 && w.n == 1, "comment outside quotes ignored");
	TAP_OK(tok("a\\ b c", &w) == 0 && w.n == 2, "backslash-space glues a word");
	TAP_STREQ(w.w[0], "a b", "glued word");
	TAP_OK(tok("  spaced \t words\r", &w) == 0 && w.n == 2, "runs of whitespace and CR");
	TAP_OK(tok("", &w) == 0 && w.n == 0, "empty line has no words");
	TAP_OK(tok("VAR d n \"open", &w) == -1, "unterminated quote refused");
	TAP_OK(tok("trailing\\", &w) == -1, "trailing backslash refused");
	TAP_OK(tok("a b c d e f g h i j k l m n o p q r s t u v w x y z 1 2 3 4 5 6 7", &w) == -1,
	       "more than 32 words refused");
	memset(big, 'x', sizeof big);
	TAP_OK(nut_tokenize(big, sizeof big, &w) == -1, "over-long line refused");
}

static void
test_quoting(void)
{
	struct pk_buf b = { 0 };
	struct pk_err err = { 0 };

	int rc;

	/* TAP_OK evaluates its condition twice: no side effects inside. */
	rc = nut_append_word(&b, "a \"b\" #c \\d", 1, &err);
	TAP_OK(rc == 0, "value appended");
	TAP_STREQ(pk_buf_str(&b), "\"a \\\"b\\\" \\#c \\\\d\"", "value quoted and escaped");
	pk_buf_reset(&b);
	rc = nut_append_word(&b, "ups.status", 0, &err);
	TAP_OK(rc == 0, "name appended");
	TAP_STREQ(pk_buf_str(&b), "ups.status", "name sent bare");
	pk_buf_reset(&b);
	nut_append_word(&b, "", 0, &err);
	TAP_STREQ(pk_buf_str(&b), "\"\"", "empty word quoted, not dropped");
	pk_buf_reset(&b);
	nut_append_word(&b, "two words", 0, &err);
	TAP_STREQ(pk_buf_str(&b), "\"two words\"", "word with a space quoted");
	pk_buf_reset(&b);
	TAP_OK(nut_append_word(&b, "Z\xc3\xbcrich", 1, &err) == PK_EUSAGE && b.len == 0,
	       "UTF-8 refused as usage error, nothing appended");
	TAP_OK(nut_append_word(&b, "tab\there", 1, &err) == PK_EUSAGE, "control byte refused");
	TAP_OK(nut_printable(" ~") && !nut_printable("\x7f"), "0x20..0x7E printable, DEL not");
	pk_buf_free(&b);
}

static void
test_errors(void)
{
	static const struct { const char *word; int status; } cases[] = {
		{ "ACCESS-DENIED", 4 }, { "USERNAME-REQUIRED", 4 }, { "PASSWORD-REQUIRED", 4 },
		{ "UNKNOWN-UPS", 5 }, { "VAR-NOT-SUPPORTED", 5 }, { "CMD-NOT-SUPPORTED", 5 },
		{ "DATA-STALE", 1 }, { "DRIVER-NOT-CONNECTED", 1 }, { "READONLY", 1 },
		{ "INVALID-VALUE", 1 }, { "TOO-LONG", 1 }, { "INVALID-ARGUMENT", 1 },
		{ "UNKNOWN-COMMAND", 1 }, { "SOMETHING-NEW", 1 },
	};
	struct pk_err err;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		TAP_OK(nut_err_from_word(&err, cases[i].word, NULL) == cases[i].status &&
		       strcmp(err.kind, cases[i].word) == 0,
		       "ERR %s -> exit %d, kind is the word", cases[i].word, cases[i].status);
	}
	nut_err_from_word(&err, "DATA-STALE", "ups.load");
	TAP_STREQ(err.msg, "ups.load: data stale: the driver has no fresh data (server said ERR DATA-STALE)",
	          "message names the item, the meaning and the server's word");
	nut_err_from_word(&err, "DRIVER-NOT-CONNECTED", NULL);
	TAP_OK(strstr(err.msg, "driver not connected") != NULL, "DRIVER-NOT-CONNECTED has its own message");
	TAP_OK(nut_err_is_unsupported("UNKNOWN-COMMAND") && !nut_err_is_unsupported("ACCESS-DENIED"),
	       "UNKNOWN-COMMAND is graceful, ACCESS-DENIED is not");
}

static void
test_types(void)
{
	struct nut_words w;
	struct nut_type t;
	char name[64];

	tok("TYPE fake input.sensitivity RW ENUM STRING:8", &w);
	TAP_OK(nut_type_parse(&w, &t) == 0 && t.rw && t.is_enum && t.is_string && t.maxlen == 8,
	       "RW ENUM STRING:8");
	nut_type_name(&t, name, sizeof name);
	TAP_STREQ(name, "ENUM STRING", "upsrw type name");
	tok("TYPE fake battery.charge.low RW RANGE NUMBER", &w);
	TAP_OK(nut_type_parse(&w, &t) == 0 && t.rw && t.is_range && !t.is_string, "RW RANGE NUMBER");
	tok("TYPE dummy driver.name NUMBER", &w);
	TAP_OK(nut_type_parse(&w, &t) == 0 && !t.rw, "read-only NUMBER");
	tok("TYPE fake x RW STRING:abc", &w);
	TAP_OK(nut_type_parse(&w, &t) == -1, "bad STRING length refused");
	tok("VAR fake x \"1\"", &w);
	TAP_OK(nut_type_parse(&w, &t) == -1 && !t.known, "not a TYPE reply");
	tok("TYPE min ups.id RW STRING", &w);
	TAP_OK(nut_type_parse(&w, &t) == 0 && t.rw && t.is_string && t.maxlen == -1,
	       "ESPHome RW STRING: a string without a length limit");
	tok("TYPE min ups.status RO", &w);
	nut_type_parse(&w, &t);
	TAP_OK(!t.rw && !t.is_string, "ESPHome RO: read-only");
}

static void
test_version(void)
{
	struct nut_words w;
	char out[64];

	tok("VERSION \"2.8.0\"", &w);
	nut_version_text(&w, out, sizeof out);
	TAP_STREQ(out, "2.8.0", "ESPHome 'VERSION \"x\"' gives x");
	tok("Network UPS Tools upsd 2.8.0 - http://www.networkupstools.org/", &w);
	nut_version_text(&w, out, sizeof out);
	TAP_STREQ(out, "Network UPS Tools upsd 2.8.0 - http://www.networkupstools.org/",
	          "upsd's VER line is kept whole");
}

static void
test_validation(void)
{
	struct nut_varinfo vi;
	struct pk_err err;

	memset(&vi, 0, sizeof vi);
	vi.name = "input.sensitivity";
	vi.type.known = vi.type.rw = vi.type.is_enum = vi.type.is_string = 1;
	vi.type.maxlen = 8;
	nut_varinfo_add_enum(&vi, "low");
	nut_varinfo_add_enum(&vi, "high");
	TAP_OK(nut_validate(&vi, "low", &err) == 0, "ENUM member accepted");
	TAP_OK(nut_validate(&vi, "Low", &err) == PK_EUSAGE, "ENUM is case-sensitive");
	TAP_OK(strstr(err.msg, "\"low\", \"high\"") != NULL, "message names the allowed values");
	pk_buf_free(&vi.enums);

	memset(&vi, 0, sizeof vi);
	vi.name = "battery.charge.low";
	vi.type.known = vi.type.rw = vi.type.is_range = 1;
	vi.range[0][0] = 5; vi.range[0][1] = 30;
	vi.range[1][0] = 40; vi.range[1][1] = 50;
	vi.nrange = 2;
	TAP_OK(nut_validate(&vi, "5", &err) == 0 && nut_validate(&vi, "50", &err) == 0,
	       "RANGE bounds inclusive");
	TAP_OK(nut_validate(&vi, "35", &err) == PK_EUSAGE && strstr(err.msg, "5-30, 40-50"),
	       "value between ranges refused, ranges named");
	TAP_OK(nut_validate(&vi, "45abc", &err) == PK_EUSAGE, "trailing junk refused (upsd's atoi would not)");

	memset(&vi, 0, sizeof vi);
	vi.name = "ups.id";
	vi.type.known = vi.type.rw = vi.type.is_string = 1;
	vi.type.maxlen = 8;
	TAP_OK(nut_validate(&vi, "12345678", &err) == 0, "STRING:8 takes 8");
	TAP_OK(nut_validate(&vi, "123456789", &err) == PK_EUSAGE, "STRING:8 refuses 9");
	vi.type.maxlen = -1;
	TAP_OK(nut_validate(&vi, "a value longer than any STRING:n", &err) == 0,
	       "bare STRING (ESPHome): no length check");
	vi.type.maxlen = 8;
	vi.type.is_string = 0;
	TAP_OK(nut_validate(&vi, "230.5", &err) == 0 && nut_validate(&vi, "-3", &err) == 0,
	       "NUMBER syntax accepted");
	TAP_OK(nut_validate(&vi, "1e3", &err) == PK_EUSAGE, "NUMBER refuses exponent");
	vi.type.rw = 0;
	TAP_OK(nut_validate(&vi, "x", &err) == 0, "read-only left to the server");
}

static void
test_json_typing(void)
{
	struct pk_buf b = { 0 };
	struct pk_json j;

	TAP_OK(nut_is_quantity("battery.charge", "100"), "battery.charge 100 is a number");
	TAP_OK(nut_is_quantity("input.voltage", "230.4"), "input.voltage is a number");
	TAP_OK(!nut_is_quantity("ups.serial", "1234"), "serial stays a string");
	TAP_OK(!nut_is_quantity("device.serial", "024"), "024 stays a string");
	TAP_OK(!nut_is_quantity("ups.firmware", "1.02"), "firmware stays a string");
	TAP_OK(!nut_is_quantity("ups.firmware.aux", "3"), "firmware.aux stays a string");
	TAP_OK(!nut_is_quantity("driver.version.internal", "0.15"), "version stays a string");
	TAP_OK(!nut_is_quantity("ups.id", "7"), "ups.id stays a string");
	TAP_OK(!nut_is_quantity("battery.date", "20200115"), "date stays a string");
	TAP_OK(!nut_is_quantity("ups.load", "1.02a"), "non-numeric text stays a string");
	pk_json_init(&j, &b);
	nut_json_flags(&j, "FSD  OB LB");
	TAP_STREQ(pk_buf_str(&b), "[\"FSD\",\"OB\",\"LB\"]", "status flags array");
	pk_buf_free(&b);
}

static void
test_targets(void)
{
	struct nut_cli cli;
	struct pk_err err;
	int rc;

	nut_cli_init(&cli, "test");
	rc = nut_cli_target(&cli, "ups", 1, &err);
	TAP_OK(rc == 0 && strcmp(cli.t.host, "localhost") == 0 && strcmp(cli.t.port, "3493") == 0,
	       "bare UPS name means ups@localhost:3493");
	TAP_STREQ(cli.label, "ups@localhost:3493", "label for messages");
	rc = nut_cli_target(&cli, "ups@[::1]:3494", 1, &err);
	TAP_OK(rc == 0 && strcmp(cli.t.host, "::1") == 0 && strcmp(cli.t.port, "3494") == 0,
	       "bracketed IPv6 with port");
	TAP_STREQ(cli.label, "ups@[::1]:3494", "IPv6 label keeps brackets");
	rc = nut_cli_target(&cli, "nas:3500", 0, &err);
	TAP_OK(rc == 0 && strcmp(cli.t.host, "nas") == 0 && cli.t.name[0] == '\0',
	       "host:port where no UPS is needed (-l, --server)");
	rc = nut_cli_target(&cli, "@nas", 1, &err);
	TAP_OK(rc == PK_EUSAGE, "@host refused where a UPS is needed");
	rc = nut_cli_target(&cli, "u\"ps@nas", 1, &err);
	TAP_OK(rc == PK_EUSAGE, "UPS name with a quote refused");
	rc = nut_cli_target(&cli, "ups@nas:0", 1, &err);
	TAP_OK(rc == PK_EUSAGE, "port 0 refused");
}

/* Checks the metric name and value nut_prom_metric gives var=value. */
static void
prom_is(const char *var, const char *value, const char *name, const char *want)
{
	struct nut_prom_metric m;

	nut_prom_metric(var, value, &m);
	TAP_STREQ(m.name, name, "prom name of %s", var);
	TAP_STREQ(m.value, want, "prom value of %s=%s", var, value);
}

static void
test_prom_names(void)
{
	prom_is("battery.charge", "100", "nut_battery_charge_ratio", "1");
	prom_is("battery.charge.warning", "35.5", "nut_battery_charge_warning_ratio", "0.355");
	prom_is("battery.charger.status.x", "1", "nut_battery_charger_status_x", "1");
	prom_is("ups.load", "7", "nut_ups_load_ratio", "0.07");
	prom_is("ups.load.high", "140", "nut_ups_load_high_ratio", "1.4");
	prom_is("input.voltage", "230.4", "nut_input_voltage_volts", "230.4");
	prom_is("input.L1.current", "3", "nut_input_L1_current_amperes", "3");
	prom_is("input.frequency.nominal", "50", "nut_input_frequency_nominal_hertz", "50");
	prom_is("ups.realpower", "420", "nut_ups_realpower_watts", "420");
	prom_is("ups.power.nominal", "1500", "nut_ups_power_nominal_voltamperes", "1500");
	prom_is("ambient.temperature", "-4.5", "nut_ambient_temperature_celsius", "-4.5");
	prom_is("battery.runtime.low", "120", "nut_battery_runtime_low_seconds", "120");
	prom_is("ups.delay.start", "30", "nut_ups_delay_start_seconds", "30");
	prom_is("ups.timer.reboot", "-1", "nut_ups_timer_reboot_seconds", "-1");
	prom_is("input.voltages", "1", "nut_input_voltages", "1");
	prom_is("input.transfer.low", "100", "nut_input_transfer_low", "100");
	prom_is("ups.loadx", "5", "nut_ups_loadx", "5");
}

int
main(void)
{
	test_tokenizer();
	test_quoting();
	test_errors();
	test_types();
	test_version();
	test_validation();
	test_json_typing();
	test_targets();
	test_prom_names();
	return TAP_DONE();
}
