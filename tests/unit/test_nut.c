/* Unit tests for the NUT client library: the parseconf tokeniser,
 * quoting of what is sent, ERR mapping, TYPE parsing, validation, the
 * JSON typing rule and every rendering (text and JSON) of nut/render. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "nut/client.h"
#include "cli/nut_tools.h"
#include "nut/prom_names.h"
#include "nut/render.h"
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
	nut_append_word(&b, "s3cr#t", 0, &err);
	TAP_STREQ(pk_buf_str(&b), "\"s3cr\\#t\"", "word with a # quoted and escaped");
	pk_buf_reset(&b);
	nut_append_word(&b, "a\"b\\c", 0, &err);
	TAP_STREQ(pk_buf_str(&b), "\"a\\\"b\\\\c\"", "word with a quote or backslash quoted");
	pk_buf_reset(&b);
	nut_append_word(&b, "monitor", 0, &err);
	TAP_STREQ(pk_buf_str(&b), "monitor", "plain word (a user name) bare");
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
	TAP_OK(!nut_is_quantity("ups.test.result", "0"), "a test result code stays a string");
	TAP_OK(!nut_is_quantity("outlet.3.groupid", "1"), "*id: groupid stays a string");
	TAP_OK(!nut_is_quantity("experimental.outlet.1.system_id", "4097"), "*_id stays a string");
	TAP_OK(!nut_is_quantity("experimental.battery.batteryid", "1"), "*id stays a string");
	TAP_OK(!nut_is_quantity("ups.powersummary.iproduct", "2"), "iproduct stays a string");
	TAP_OK(!nut_is_quantity("ups.powersummary.imanufacturer", "1"), "imanufacturer stays a string");
	TAP_OK(!nut_is_quantity("battery.capacity_mode", "1"), "capacity_mode stays a string");
	TAP_OK(!nut_is_quantity("ups.powersummary.capacitymode", "2"), "capacitymode stays a string");
	TAP_OK(!nut_is_quantity("ups.mode", "2"), "a mode stays a string");
	TAP_OK(!nut_is_quantity("driver.parameter.upstype", "4"), "*type stays a string");
	TAP_OK(!nut_is_quantity("input.source.preferred", "1"), "a source code stays a string");
	TAP_OK(!nut_is_quantity("driver.parameter.usb_hid_rep_index", "1"), "an index stays a string");
	TAP_OK(!nut_is_quantity("ups.alarm", "0"), "an alarm code stays a string");
	TAP_OK(!nut_is_quantity("battery.alarm.threshold", "0"), "an alarm threshold code too");
	TAP_OK(nut_is_quantity("ambient.humidity.alarm.high", "60"), "an alarm limit is a number");
	TAP_OK(nut_is_quantity("outlet.group.1.count", "4"), "a count is a number");
	TAP_OK(nut_is_quantity("battery.runtime", "12345678901234567890"), "20 digits: a number");
	TAP_OK(nut_is_quantity("battery.runtime", "-1234567890123456789.0"), "20 digits, sign and point: a number");
	TAP_OK(!nut_is_quantity("battery.runtime", "123456789012345678901"), "21 digits stay a string");
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
	prom_is("input.L1.current", "3", "nut_input_current_amperes", "3");
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

/* Checks name, type and labels ("key=value,key=value") for var. */
static void
prom_labels_are(const char *var, const char *name, const char *type, const char *labels)
{
	struct nut_prom_metric m;
	char got[200] = "";
	size_t i, off = 0;

	nut_prom_metric(var, "1", &m);
	for (i = 0; nut_prom_label_key(&m, i) != NULL; i++)
		off += (size_t)snprintf(got + off, sizeof got - off, "%s%s=%s", i ? "," : "",
		                        nut_prom_label_key(&m, i), nut_prom_label_value(&m, i));
	TAP_STREQ(m.name, name, "prom name of %s", var);
	TAP_STREQ(m.type, type, "prom type of %s", var);
	TAP_STREQ(got, labels, "prom labels of %s", var);
}

/* What promtool check metrics lints (reserved suffixes, type words,
 * camelCase) never shows; indexes and phases are labels. */
static void
test_prom_lint_clean(void)
{
	struct nut_prom_metric m;

	prom_labels_are("outlet.count", "nut_outlets", "gauge", "");
	prom_labels_are("input.count", "nut_inputs", "gauge", "");
	prom_labels_are("outlet.group.count", "nut_outlet_groups", "gauge", "");
	prom_labels_are("outlet.group.1.count", "nut_outlet_group_outlets", "gauge", "group=1");
	prom_labels_are("outlet.3.current", "nut_outlet_current_amperes", "gauge", "outlet=3");
	prom_labels_are("outlet.group.2.voltage.high.warning",
	                "nut_outlet_group_voltage_high_warning_volts", "gauge", "group=2");
	prom_labels_are("input.L1-N.voltage", "nut_input_voltage_volts", "gauge", "phase=L1-N");
	prom_labels_are("input.L3-L1.voltage.maximum", "nut_input_voltage_maximum_volts", "gauge",
	                "phase=L3-L1");
	prom_labels_are("input.bypass.L2.current", "nut_input_bypass_current_amperes", "gauge",
	                "phase=L2");
	prom_labels_are("ambient.1.humidity", "nut_ambient_humidity_ratio", "gauge", "ambient=1");
	prom_labels_are("outlet.1.L2.current", "nut_outlet_current_amperes", "gauge",
	                "outlet=1,phase=L2");
	prom_labels_are("experimental.statistics.discharge_counter",
	                "nut_experimental_statistics_discharge_total", "counter", "");
	prom_labels_are("experimental.statistics.rising_AVR_trigger_counter",
	                "nut_experimental_statistics_rising_avr_trigger_total", "counter", "");
	prom_labels_are("driver.parameter.numOfBytesFromUPS",
	                "nut_driver_parameter_num_of_bytes_from_ups", "gauge", "");
	prom_labels_are("battery.current.total", "nut_battery_current_total_amperes", "gauge", "");
	prom_labels_are("battery.cycles.total", "nut_battery_cycles_total_value", "gauge", "");
	prom_labels_are("ups.level.sum", "nut_ups_level_sum_value", "gauge", "");
	prom_labels_are("ups.gauge.level", "nut_ups_gauges_level", "gauge", "");
	prom_labels_are("ups.1.level", "nut_ups_1_level", "gauge", "");
	prom_labels_are("le.1.level", "nut_le_1_level", "gauge", "");
	prom_is("output.L2.power.percent", "42", "nut_output_power_ratio", "0.42");
	prom_is("outlet.group.1.load", "12.5", "nut_outlet_group_load_ratio", "0.125");
	nut_prom_metric("outlet.group.1.count", "4", &m);
	TAP_STREQ(m.help, "NUT variable outlet.group.<group>.count", "HELP names the index");
}

/* ---- nut/render: each kind of data, text and JSON ----------------- */

static struct pk_target render_ups, render_host;

/* Runs call with b a fresh buffer, then compares what it holds. */
#define RENDER_IS(call, want, ...) do { \
	struct pk_buf rb = { 0 }; \
	struct pk_buf *b = &rb; \
	call; \
	TAP_STREQ(pk_buf_str(b), want, __VA_ARGS__); \
	pk_buf_free(&rb); \
} while (0)

static void
render_targets(void)
{
	struct pk_err err;

	pk_target_parse("fake@127.0.0.1:3494", PK_TARGET_NAMED, NUT_DEFAULT_PORT, &render_ups, &err);
	pk_target_parse("127.0.0.1", PK_TARGET_HOST, NUT_DEFAULT_PORT, &render_host, &err);
}

static void
kv(struct nut_kvlist *l, const char *name, const char *value)
{
	nut_kvlist_add(l, name, value);
}

static void
test_render_vars(void)
{
	struct nut_doc text = { PK_FMT_TEXT, &render_ups }, json = { PK_FMT_JSON, &render_ups };
	struct nut_doc prom = { PK_FMT_PROM, &render_ups };
	struct nut_kvlist l = { 0 };
	struct pk_buf pb = { 0 };

	kv(&l, "battery.charge", "100");
	kv(&l, "device.serial", "024");
	kv(&l, "ups.status", "OL CHRG");
	RENDER_IS(nut_render_vars(b, &text, &l),
	          "battery.charge: 100\ndevice.serial: 024\nups.status: OL CHRG\n",
	          "vars text: upsc's name: value lines");
	RENDER_IS(nut_render_vars(b, &json, &l),
	          "{\"ups\":\"fake\",\"server\":\"127.0.0.1:3494\",\"variables\":"
	          "{\"battery.charge\":100,\"device.serial\":\"024\",\"ups.status\":\"OL CHRG\"},"
	          "\"status\":[\"OL\",\"CHRG\"]}\n",
	          "vars json: typed values, status flags, one line");
	nut_render_vars(&pb, &prom, &l);
	TAP_OK(strstr(pk_buf_str(&pb), "\nnut_battery_charge_ratio{ups=\"fake\"} 1\n") != NULL &&
	       strstr(pk_buf_str(&pb), "nut_ups_status{ups=\"fake\",flag=\"CHRG\"} 1\n") != NULL &&
	       strstr(pk_buf_str(&pb), "nut_device_serial") == NULL,
	       "vars prom: a ratio gauge, the status flags, no identifier gauge");
	pk_buf_free(&pb);
	nut_kvlist_free(&l);
}

static void
test_render_values(void)
{
	struct nut_doc text = { PK_FMT_TEXT, &render_ups }, json = { PK_FMT_JSON, &render_ups };
	struct nut_kvlist l = { 0 };
	struct pk_err errs[3];

	memset(errs, 0, sizeof errs);
	kv(&l, "ups.status", "OB LB");
	kv(&l, "no.such", NULL);
	kv(&l, "ups.load", "27");
	nut_err_from_word(&errs[1], "VAR-NOT-SUPPORTED", "no.such");
	RENDER_IS(nut_render_values(b, &text, "VAR", &l, errs), "OB LB\n27\n",
	          "values text: the found ones, bare, in order");
	RENDER_IS(nut_render_values(b, &json, "VAR", &l, errs),
	          "{\"ups\":\"fake\",\"server\":\"127.0.0.1:3494\",\"variables\":"
	          "{\"ups.status\":\"OB LB\",\"ups.load\":27},\"status\":[\"OB\",\"LB\"],"
	          "\"errors\":{\"no.such\":{\"status\":5,\"kind\":\"VAR-NOT-SUPPORTED\","
	          "\"message\":\"no.such: variable not supported by the UPS (server said ERR "
	          "VAR-NOT-SUPPORTED)\"}}}\n",
	          "values json: typed variables, status, an error object per missing one");
	RENDER_IS(nut_render_values(b, &json, "DESC", &l, errs),
	          "{\"ups\":\"fake\",\"server\":\"127.0.0.1:3494\",\"descriptions\":"
	          "{\"ups.status\":\"OB LB\",\"ups.load\":\"27\"},"
	          "\"errors\":{\"no.such\":{\"status\":5,\"kind\":\"VAR-NOT-SUPPORTED\","
	          "\"message\":\"no.such: variable not supported by the UPS (server said ERR "
	          "VAR-NOT-SUPPORTED)\"}}}\n",
	          "descriptions json: strings, no status");
	nut_kvlist_free(&l);
}

static void
test_render_lists(void)
{
	struct nut_doc text = { PK_FMT_TEXT, &render_host }, json = { PK_FMT_JSON, &render_host };
	struct nut_doc ctext = { PK_FMT_TEXT, &render_ups }, cjson = { PK_FMT_JSON, &render_ups };
	struct nut_kvlist l = { 0 }, c = { 0 };

	kv(&l, "dummy", "Dummy UPS in rack \"A\"");
	kv(&l, "fake", "Fake");
	RENDER_IS(nut_render_ups_list(b, &text, &l, 0), "dummy\nfake\n", "ups list text: upsc -l");
	RENDER_IS(nut_render_ups_list(b, &text, &l, 1),
	          "dummy: Dummy UPS in rack \"A\"\nfake: Fake\n", "ups list text: upsc -L");
	RENDER_IS(nut_render_ups_list(b, &json, &l, 0),
	          "{\"server\":\"127.0.0.1:3493\",\"ups_list\":[{\"name\":\"dummy\","
	          "\"description\":\"Dummy UPS in rack \\\"A\\\"\"},{\"name\":\"fake\","
	          "\"description\":\"Fake\"}]}\n",
	          "ups list json: no \"ups\" member for a server-wide request");
	kv(&c, "127.0.0.1", NULL);
	kv(&c, "::1", NULL);
	RENDER_IS(nut_render_clients(b, &ctext, &c), "127.0.0.1\n::1\n", "clients text: upsc -c");
	RENDER_IS(nut_render_clients(b, &cjson, &c),
	          "{\"ups\":\"fake\",\"server\":\"127.0.0.1:3494\",\"clients\":[\"127.0.0.1\",\"::1\"]}\n",
	          "clients json");
	nut_kvlist_free(&l);
	nut_kvlist_free(&c);
}

static void
test_render_rw(void)
{
	struct nut_doc text = { PK_FMT_TEXT, &render_ups }, json = { PK_FMT_JSON, &render_ups };
	struct nut_varinfo vis[3];

	memset(vis, 0, sizeof vis);
	vis[0].name = "input.sensitivity";
	vis[0].value = "normal";
	vis[0].desc = "Input power sensitivity";
	vis[0].type.known = vis[0].type.rw = vis[0].type.is_enum = vis[0].type.is_string = 1;
	vis[0].type.maxlen = -1;  /* a bare STRING: no limit */
	nut_varinfo_add_enum(&vis[0], "low");
	nut_varinfo_add_enum(&vis[0], "normal");
	vis[1].name = "battery.charge.low";
	vis[1].value = "20";
	vis[1].type.known = vis[1].type.rw = vis[1].type.is_range = 1;
	vis[1].range[0][0] = 5; vis[1].range[0][1] = 30;
	vis[1].range[1][0] = 40; vis[1].range[1][1] = 50;
	vis[1].nrange = 2;
	vis[2].name = "ups.id";
	vis[2].desc = "UPS system identifier";
	vis[2].type.known = vis[2].type.rw = vis[2].type.is_string = 1;
	vis[2].type.maxlen = 8;
	RENDER_IS(nut_render_rw(b, &text, vis, 3),
	          "[input.sensitivity]\nInput power sensitivity\nType: ENUM STRING\n"
	          "Option: \"low\"\nOption: \"normal\" SELECTED\n\n"
	          "[battery.charge.low]\nDescription unavailable\nType: RANGE NUMBER\n"
	          "Option: \"5-30\" SELECTED\nOption: \"40-50\"\n\n"
	          "[ups.id]\nUPS system identifier\nType: STRING\nMaximum length: 8\nValue: \n\n",
	          "rw text: upsrw's blocks");
	RENDER_IS(nut_render_rw(b, &json, vis, 3),
	          "{\"ups\":\"fake\",\"server\":\"127.0.0.1:3494\",\"rw\":{"
	          "\"input.sensitivity\":{\"description\":\"Input power sensitivity\","
	          "\"type\":\"ENUM STRING\",\"value\":\"normal\",\"enum\":[\"low\",\"normal\"],"
	          "\"ranges\":[]},"
	          "\"battery.charge.low\":{\"description\":null,\"type\":\"RANGE NUMBER\","
	          "\"value\":20,\"enum\":[],\"ranges\":[[5,30],[40,50]]},"
	          "\"ups.id\":{\"description\":\"UPS system identifier\",\"type\":\"STRING\","
	          "\"maxlen\":8,\"value\":null,\"enum\":[],\"ranges\":[]}}}\n",
	          "rw json: one typed document (nutq --rw, nutset --list)");
	pk_buf_free(&vis[0].enums);
}

static void
test_render_cmds(void)
{
	struct nut_doc text = { PK_FMT_TEXT, &render_ups }, json = { PK_FMT_JSON, &render_ups };
	struct nut_kvlist l = { 0 };

	kv(&l, "beeper.toggle", "Toggle the UPS beeper");
	kv(&l, "fake.echo", NULL);
	RENDER_IS(nut_render_cmds(b, &text, &l, NUT_CMDS_LINES),
	          "beeper.toggle: Toggle the UPS beeper\nfake.echo: Description unavailable\n",
	          "cmds text: name: description lines (nutq --cmds)");
	RENDER_IS(nut_render_cmds(b, &text, &l, NUT_CMDS_UPSCMD),
	          "Instant commands supported on UPS [fake]:\n\n"
	          "beeper.toggle - Toggle the UPS beeper\nfake.echo - Description unavailable\n",
	          "cmds text: upscmd -l layout (nutcmd -l)");
	RENDER_IS(nut_render_cmds(b, &json, &l, NUT_CMDS_UPSCMD),
	          "{\"ups\":\"fake\",\"server\":\"127.0.0.1:3494\",\"commands\":"
	          "{\"beeper.toggle\":\"Toggle the UPS beeper\",\"fake.echo\":null}}\n",
	          "cmds json: one document for both layouts, null when undescribed");
	nut_kvlist_free(&l);
}

static void
test_render_server(void)
{
	struct nut_doc text = { PK_FMT_TEXT, &render_host }, json = { PK_FMT_JSON, &render_host };
	struct nut_server_info s;

	memset(&s, 0, sizeof s);
	snprintf(s.version, sizeof s.version, "upsd 2.0.5");
	snprintf(s.help, sizeof s.help, "Commands: HELP VER");
	kv(&s.logins, "dummy", "1");
	kv(&s.logins, "gone", NULL);
	RENDER_IS(nut_render_server(b, &text, &s),
	          "version: upsd 2.0.5\nprotocol: unknown\nhelp: Commands: HELP VER\n"
	          "numlogins.dummy: 1\nnumlogins.gone: unknown\n",
	          "server text: what the server did not say is unknown");
	RENDER_IS(nut_render_server(b, &json, &s),
	          "{\"server\":\"127.0.0.1:3493\",\"version\":\"upsd 2.0.5\",\"protocol\":\"unknown\","
	          "\"help\":\"Commands: HELP VER\",\"numlogins\":{\"dummy\":1,\"gone\":\"\"}}\n",
	          "server json: counts are numbers");
	nut_server_info_free(&s);
}

static void
test_render_changes(void)
{
	struct nut_doc text = { PK_FMT_TEXT, &render_ups }, json = { PK_FMT_JSON, &render_ups };
	struct nut_change ch[2];

	memset(ch, 0, sizeof ch);
	ch[0].name = "ups.id";
	ch[0].value = "rack-3";
	snprintf(ch[0].result, sizeof ch[0].result, "SUCCESS");
	ch[1].name = "load.off";
	snprintf(ch[1].result, sizeof ch[1].result, "FAILED");
	pk_err_set(&ch[1].err, PK_EREFUSED, "FAILED", "load.off: the driver reported FAILED");
	RENDER_IS(nut_render_changes(b, &text, ch, 2), "ups.id: SUCCESS\n",
	          "changes text: only what went through");
	RENDER_IS(nut_render_changes(b, &json, ch, 2),
	          "{\"ups\":\"fake\",\"server\":\"127.0.0.1:3494\",\"results\":{"
	          "\"ups.id\":{\"value\":\"rack-3\",\"result\":\"SUCCESS\"},"
	          "\"load.off\":{\"value\":null,\"result\":\"FAILED\",\"error\":{\"status\":1,"
	          "\"kind\":\"FAILED\",\"message\":\"load.off: the driver reported FAILED\"}}}}\n",
	          "changes json: value, result, error for a failure");
}

static void
test_requests(void)
{
	struct nut_change ch[2];
	struct pk_err err;

	memset(ch, 0, sizeof ch);
	ch[0].name = "ups.id";
	ch[0].value = "a \"b\" #1";
	ch[1].name = "beeper.toggle";
	RENDER_IS(nut_change_requests(b, "SET VAR", "fake", ch, 2, &err),
	          "SET VAR fake ups.id \"a \\\"b\\\" \\#1\"\nSET VAR fake beeper.toggle\n",
	          "dry-run request lines: value quoted and escaped");
	RENDER_IS(nut_fsd_requests(b, "cycle", &err), "LOGIN cycle\nPRIMARY cycle\nFSD cycle\n",
	          "FSD dry run: the requests nut_fsd sends");
	ch[0].value = "caf\xc3\xa9";
	{
		struct pk_buf rb = { 0 };

		TAP_OK(nut_change_requests(&rb, "SET VAR", "fake", ch, 1, &err) == PK_EUSAGE,
		       "dry-run request lines refuse what upsd cannot take");
		pk_buf_free(&rb);
	}
}

/* nut_prom_unit gives the unit word nut_prom_metric puts at the end of
 * the name, without building it (the perfdata units rely on that). */
static void
test_prom_unit(void)
{
	static const char *const units[] = {
		"ratio", "seconds", "volts", "amperes", "hertz", "watts", "voltamperes", "celsius",
	};
	static const char *const vars[] = {
		"battery.charge", "battery.charge.warning", "ups.load", "ups.load.high",
		"input.voltage", "input.L1.current", "input.L1-N.voltage", "input.L3-L1.voltage.maximum",
		"input.frequency.nominal", "ups.realpower", "ups.power.nominal", "ups.power.percent",
		"output.power.percent", "ambient.temperature", "ambient.1.humidity", "battery.runtime.low",
		"ups.delay.start", "ups.timer.reboot", "input.voltages", "input.transfer.low",
		"ups.loadx", "outlet.count", "outlet.group.1.count", "outlet.3.current",
		"outlet.group.2.voltage.high.warning", "experimental.statistics.discharge_counter",
		"ups.load.counter", "voltage.counter", "counter", "outlet.2.delay.counter",
		"battery.voltage.nominal", "ups.temperature", "ups.id", "1.2.voltage", "L1.voltage",
		"input.bypass.L2.current", "device.uptime", "ups.efficiency",
	};
	size_t i, k;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		struct nut_prom_metric m;
		const char *want = NULL, *got = nut_prom_unit(vars[i]);
		size_t len;

		nut_prom_metric(vars[i], "1", &m);
		len = strlen(m.name);
		for (k = 0; want == NULL && k < sizeof units / sizeof units[0]; k++) {
			size_t ul = strlen(units[k]);

			if (len > ul + 1 && m.name[len - ul - 1] == '_' && strcmp(m.name + len - ul, units[k]) == 0)
				want = units[k];
		}
		TAP_STREQ(got ? got : "(none)", want ? want : "(none)", "unit of %s (%s)", vars[i], m.name);
	}
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
	test_prom_lint_clean();
	test_prom_unit();
	render_targets();
	test_render_vars();
	test_render_values();
	test_render_lists();
	test_render_rw();
	test_render_cmds();
	test_render_server();
	test_render_changes();
	test_requests();
	return TAP_DONE();
}
