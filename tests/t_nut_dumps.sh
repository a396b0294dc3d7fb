#!/bin/bash
# t_nut_dumps.sh — nutq over every device dump of the suite (tests/nut/*.dev,
# each served by its own dummy-ups behind a private upsd): the Prometheus
# output passes `promtool check metrics` without a word, indexes and phases
# are labels, and the JSON typing keeps identifiers and codes as strings.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/nut/testbed.sh"
nut_testbed_start dumps || { not_ok "private upsd with the device dumps started"; exit 1; }
Q=$PK_BIN/nutq
S=127.0.0.1:$NUT_PORT

for ups in $NUT_DUMPS; do
	run "$Q" --format prom "$ups@$S"
	expect "$ups: --format prom exits 0" 0
	check "$ups: --format prom stderr clean" test -z "$ERR"
	expect_prom "$ups: promtool check metrics is silent"
	check "$ups: one TYPE line per metric name" \
		bash -c '! grep "^# TYPE " "$1" | sort | uniq -d | grep -q .' _ "$PK_TMP/out"
done

# ePDU: counts are plain plurals, groups and outlets are labels.
run "$Q" --format prom "epdu@$S"
expect_out "outlet.count is nut_outlets" '^nut_outlets\{ups="epdu"\} 4$'
expect_out "input.count is nut_inputs" '^nut_inputs\{ups="epdu"\} 1$'
expect_out "outlet.group.count is nut_outlet_groups" '^nut_outlet_groups\{ups="epdu"\} 2$'
expect_out "outlet.group.N.count is the group's outlets, group as a label" \
	'^nut_outlet_group_outlets\{ups="epdu",group="2"\} 2$'
expect_out "outlet.N.current: outlet as a label" '^nut_outlet_current_amperes\{ups="epdu",outlet="3"\} 1\.32$'
expect_out "group current in amperes, group as a label" \
	'^nut_outlet_group_current_amperes\{ups="epdu",group="1"\} 2\.10$'
expect_out "group load as a ratio" '^nut_outlet_group_load_ratio\{ups="epdu",group="2"\} 0\.08$'
expect_out "sensor index as a label, humidity as a ratio" \
	'^nut_ambient_humidity_ratio\{ups="epdu",ambient="1"\} 0\.38$'
expect_out "HELP names the index" \
	'^# HELP nut_outlet_realpower_watts NUT variable outlet\.<outlet>\.realpower \(watts\)$'
check "no _count name, no group number in a name" \
	bash -c '! grep -Eq "^nut_[a-z0-9_]*(_count|group_[0-9])" "$1"' _ "$PK_TMP/out"
check "an outlet's samples follow one header" \
	bash -c '[ "$(grep -c "^nut_outlet_current_amperes{" "$1")" = 4 ] &&
		grep -A4 "^# TYPE nut_outlet_current_amperes gauge" "$1" | tail -4 | grep -c "^nut_outlet_current_amperes{" | grep -qx 4' _ "$PK_TMP/out"

# Three-phase UPS: phases as labels, percentages as ratios, event counters.
run "$Q" --format prom "ups3phase@$S"
expect_out "line-to-neutral voltage: phase label" '^nut_input_voltage_volts\{ups="ups3phase",phase="L1-N"\} 231\.2$'
expect_out "line-to-line voltage: phase label" '^nut_input_voltage_volts\{ups="ups3phase",phase="L3-L1"\} 400\.2$'
expect_out "phase current" '^nut_output_current_amperes\{ups="ups3phase",phase="L2"\} 9\.6$'
expect_out "power.percent is a ratio, the word left out" '^nut_output_power_ratio\{ups="ups3phase",phase="L3"\} 0\.29$'
expect_out "per-phase load" '^nut_ups_load_ratio\{ups="ups3phase",phase="L1"\} 0\.31$'
expect_out "the whole load keeps its series" '^nut_ups_load_ratio\{ups="ups3phase"\} 0\.31$'
expect_out "a driver's event counter is a counter" '^# TYPE nut_experimental_statistics_discharge_total counter$'
expect_out "counter sample" '^nut_experimental_statistics_discharge_total\{ups="ups3phase"\} 12$'
expect_out "camelCase in a variable is snake_case" '^nut_experimental_statistics_rising_avr_trigger_total\{ups="ups3phase"\} 3$'
check "no type name in a metric name" bash -c '! grep -Eq "^nut_[a-z0-9_]*_counter" "$1"' _ "$PK_TMP/out"
check "no upper case in a metric name" bash -c '! grep -Eq "^nut_[a-z0-9_]*[A-Z]" "$1"' _ "$PK_TMP/out"

# JSON typing: identifiers, indexes, codes and enums stay strings even
# when the device reports them as digits; quantities are numbers.
run "$Q" -j "ups3phase@$S"
expect "ups3phase: json exits 0" 0
expect_json "test result, mode, id and alarm codes stay strings" \
	'all(d["variables"][k] == v for k, v in {"ups.test.result": "0", "ups.mode": "2", "ups.id": "7", "ups.alarm": "0", "input.source": "1"}.items())'
expect_json "USB string indexes stay strings" \
	'd["variables"]["ups.powersummary.iproduct"] == "2" and d["variables"]["ups.powersummary.imanufacturer"] == "1" and d["variables"]["ups.powersummary.iserialnumber"] == "3"'
expect_json "*id and *.capacity_mode stay strings" \
	'd["variables"]["experimental.outlet.1.system_id"] == "4097" and d["variables"]["experimental.outlet.1.groupid"] == "1" and d["variables"]["battery.capacity_mode"] == "1"'
expect_json "quantities stay numbers (phases, counters, counts)" \
	'd["variables"]["input.L1-N.voltage"] == 231.2 and d["variables"]["experimental.statistics.discharge_counter"] == 12 and d["variables"]["input.phases"] == 3 and d["variables"]["output.L1.power.percent"] == 31'
run "$Q" -j "epdu@$S"
expect_json "outlet and group ids stay strings, counts and currents are numbers" \
	'd["variables"]["outlet.1.groupid"] == "1" and d["variables"]["outlet.group.2.id"] == "2" and d["variables"]["outlet.id"] == "0" and d["variables"]["outlet.count"] == 4 and d["variables"]["outlet.3.current"] == 1.32'
run "$Q" --format prom "epdu@$S"
check "ids and group ids are no metrics" bash -c '! grep -Eq "^nut_outlet(_group)?_?(group)?id" "$1"' _ "$PK_TMP/out"
