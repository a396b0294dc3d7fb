#include "pdu/device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- varbind helpers ----------------------------------------------- */

static struct snmp_vb *
vbs_alloc(size_t n, struct pk_err *err)
{
	struct snmp_vb *v = calloc(n ? n : 1, sizeof *v);

	if (v == NULL)
		pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	return v;
}

/* Sets vb to ask for base (a profile constant, always valid) + index. */
static void
vb_ask(struct snmp_vb *vb, const char *base, int index)
{
	ber_oid_parse(base, &vb->oid);
	if (index >= 0)
		ber_oid_append(&vb->oid, (uint32_t)index);
	vb->type = BER_NULL;
}

/* The value as a number; 0 when vb holds one. */
static int
vb_num(const struct snmp_vb *vb, long long *out)
{
	if (vb->type == BER_INTEGER)
		*out = vb->i;
	else if (vb->type == BER_GAUGE32 || vb->type == BER_COUNTER32 ||
	         vb->type == BER_TIMETICKS || vb->type == BER_COUNTER64)
		*out = (long long)vb->u;
	else
		return -1;
	return 0;
}

/* Copies an OCTET STRING, dropping trailing NULs and spaces. */
static void
vb_text(const struct snmp_vb *vb, char *out, size_t outlen)
{
	size_t n = vb->type == BER_OCTETS ? vb->slen : 0;

	while (n > 0 && (vb->v.s[n - 1] == 0 || vb->v.s[n - 1] == ' '))
		n--;
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, vb->v.s, n);
	out[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (out[i] == 0 || out[i] == '\n')
			out[i] = ' ';
}

/* GETs base[i] (+ "." index[i] when index[i] >= 0) for the n entries;
 * NULL bases are not asked.  *out holds n varbinds in the same order,
 * missing ones (and unasked ones) marked BER_NOSUCHOBJECT. */
static int
get_list(struct snmp_session *s, const char *const *base, const int *index, size_t n,
         struct snmp_vb **out, struct pk_err *err)
{
	struct snmp_vb *all = vbs_alloc(n, err), *ask = vbs_alloc(n, err);
	size_t *where = calloc(n ? n : 1, sizeof *where), nask = 0, k;
	int rc;

	*out = NULL;
	if (all == NULL || ask == NULL || where == NULL) {
		free(all);
		free(ask);
		free(where);
		return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	}
	for (k = 0; k < n; k++) {
		all[k].type = BER_NOSUCHOBJECT;
		if (base[k] == NULL)
			continue;
		vb_ask(&ask[nask], base[k], index[k]);
		where[nask++] = k;
	}
	rc = snmp_get(s, ask, nask, SNMP_LENIENT, err);
	for (k = 0; rc == 0 && k < nask; k++)
		all[where[k]] = ask[k];
	free(ask);
	free(where);
	if (rc != 0)
		free(all);
	else
		*out = all;
	return rc;
}

/* GETs, for every selected outlet (sel NULL: all), each of the ncols
 * columns (NULL columns are skipped).  *out holds noutlets * ncols
 * varbinds, outlet-major. */
static int
get_outlet_cols(struct snmp_session *s, const struct pdu *pdu, const char *const *cols,
                int ncols, const unsigned char *sel, struct snmp_vb **out, struct pk_err *err)
{
	size_t total = (size_t)pdu->noutlets * (size_t)ncols;
	const char **base = calloc(total ? total : 1, sizeof *base);
	int *index = calloc(total ? total : 1, sizeof *index);
	int rc;

	if (base == NULL || index == NULL) {
		free(base);
		free(index);
		return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	}
	for (int o = 0; o < pdu->noutlets; o++)
		for (int c = 0; c < ncols; c++) {
			base[o * ncols + c] = (sel == NULL || sel[o]) ? cols[c] : NULL;
			index[o * ncols + c] = o + 1;
		}
	rc = get_list(s, base, index, total, out, err);
	free(base);
	free(index);
	return rc;
}

static int
decode_state(const struct pdu_profile *p, const struct snmp_vb *vb, int *raw)
{
	long long v;

	if (vb_num(vb, &v) != 0) {
		*raw = -1;
		return -1;
	}
	*raw = (int)v;
	return v == p->state_on ? 1 : v == p->state_off ? 0 : -1;
}

/* ---- detection ------------------------------------------------------ */

static int
oid_text_has_prefix(const char *oid, const char *prefix)
{
	size_t n = strlen(prefix);

	if (*oid == '.')
		oid++;
	return strncmp(oid, prefix, n) == 0 && (oid[n] == '.' || oid[n] == '\0');
}

/* Picks the first candidate whose outlet count answers > 0 (so the count
 * is known too). */
static int
detect_by_probe(struct snmp_session *s, struct pdu *pdu, int by_vendor, struct pk_err *err)
{
	const struct pdu_profile *cand[8];
	struct snmp_vb *vbs;
	size_t n = 0, i;
	int rc;

	for (i = 0; pdu_profiles[i] != NULL && n < 8; i++)
		if (!by_vendor || oid_text_has_prefix(pdu->sysoid, pdu_profiles[i]->enterprise))
			cand[n++] = pdu_profiles[i];
	if (n == 0)
		return detect_by_probe(s, pdu, 0, err);
	vbs = vbs_alloc(n, err);
	if (vbs == NULL)
		return PK_ECOMM;
	for (i = 0; i < n; i++)
		vb_ask(&vbs[i], cand[i]->outlet_count, -1);
	rc = snmp_get(s, vbs, n, SNMP_LENIENT, err);
	for (i = 0; rc == 0 && i < n; i++) {
		long long count;
		if (vb_num(&vbs[i], &count) == 0 && count > 0 && count <= PDU_MAX_OUTLETS) {
			pdu->prof = cand[i];
			pdu->noutlets = (int)count;
			break;
		}
	}
	free(vbs);
	if (rc != 0)
		return rc;
	if (pdu->prof == NULL && by_vendor)
		return detect_by_probe(s, pdu, 0, err);
	if (pdu->prof == NULL)
		return pk_err_set(err, PK_ENOTFOUND, "unknown-pdu",
		                  "no known switched-outlet table (sysObjectID %s); "
		                  "try --profile", pdu->sysoid[0] ? pdu->sysoid : "missing");
	return 0;
}

int
pdu_detect(struct snmp_session *s, struct pdu *pdu, struct pk_err *err)
{
	struct snmp_vb *vb = vbs_alloc(1, err);
	long long count = 0;
	int rc;

	if (vb == NULL)
		return PK_ECOMM;
	if (pdu->prof == NULL) {
		vb_ask(vb, "1.3.6.1.2.1.1.2.0", -1);
		rc = snmp_get(s, vb, 1, SNMP_LENIENT, err);
		if (rc == 0 && vb->type == BER_OID)
			ber_oid_format(&vb->v.oid, pdu->sysoid, sizeof pdu->sysoid);
		if (rc == 0)
			rc = detect_by_probe(s, pdu, 1, err);
		if (rc != 0) {
			free(vb);
			return rc;
		}
	}
	rc = 0;
	if (pdu->noutlets > 0)
		goto known;
	vb_ask(vb, pdu->prof->outlet_count, -1);
	rc = snmp_get(s, vb, 1, SNMP_LENIENT, err);
	if (rc == 0 && (vb_num(vb, &count) != 0 || count < 1 || count > PDU_MAX_OUTLETS))
		rc = pk_err_set(err, PK_ENOTFOUND, "unknown-pdu",
		                "the %s outlet table is missing or empty (wrong --profile?)",
		                pdu->prof->name);
	if (rc == 0)
		pdu->noutlets = (int)count;
known:
	for (int i = 0; i < pdu->noutlets; i++) {
		pdu->outlets[i].number = i + 1;
		pdu->outlets[i].state = -1;
		pdu->outlets[i].pending = -1;
		pdu->outlets[i].reboot_s = -1;
	}
	free(vb);
	return rc;
}

/* ---- outlet reads --------------------------------------------------- */

int
pdu_read_names(struct snmp_session *s, struct pdu *pdu, struct pk_err *err)
{
	const char *cols[1] = { pdu->prof->out_name };
	struct snmp_vb *v;
	int rc;

	rc = get_outlet_cols(s, pdu, cols, 1, NULL, &v, err);
	if (rc != 0)
		return rc;
	for (int o = 0; o < pdu->noutlets; o++)
		vb_text(&v[o], pdu->outlets[o].name, sizeof pdu->outlets[o].name);
	free(v);
	return 0;
}

int
pdu_read_states(struct snmp_session *s, struct pdu *pdu, const unsigned char *sel,
                int with_pending, struct pk_err *err)
{
	const struct pdu_profile *p = pdu->prof;
	const char *cols[2] = { p->out_state, with_pending ? p->out_pending : NULL };
	struct snmp_vb *v;
	int rc;

	rc = get_outlet_cols(s, pdu, cols, 2, sel, &v, err);
	if (rc != 0)
		return rc;
	for (int o = 0; o < pdu->noutlets; o++) {
		struct pdu_outlet *out = &pdu->outlets[o];
		long long pend;
		if (sel != NULL && !sel[o])
			continue;
		if (snmp_vb_missing(&v[o * 2])) {
			free(v);
			return pk_err_set(err, PK_ENOTFOUND, "no-outlet",
			                  "outlet %d has no state (not switchable?)", o + 1);
		}
		out->state = decode_state(p, &v[o * 2], &out->raw_state);
		out->pending = vb_num(&v[o * 2 + 1], &pend) == 0 ? pend == 1 : -1;
	}
	free(v);
	return 0;
}

int
pdu_read_reboot(struct snmp_session *s, struct pdu *pdu, const unsigned char *sel,
                struct pk_err *err)
{
	const char *cols[1] = { pdu->prof->out_reboot_s };
	struct snmp_vb *v;
	int rc;

	rc = get_outlet_cols(s, pdu, cols, 1, sel, &v, err);
	if (rc != 0)
		return rc;
	for (int o = 0; o < pdu->noutlets; o++) {
		long long d;
		if (vb_num(&v[o], &d) == 0 && d >= 0 && d <= 3600)
			pdu->outlets[o].reboot_s = (int)d;
	}
	free(v);
	return 0;
}

/* ---- status --------------------------------------------------------- */

static const char *
load_state_name(const struct pdu_profile *p, long long v)
{
	for (long long i = 0; p->load_states[i] != NULL; i++)
		if (i == v && i > 0)
			return p->load_states[i];
	return "unknown";
}

/* Identity, bank row count and whether outlets are metered: one GET. */
static int
read_identity(struct snmp_session *s, struct pdu *pdu, int *rows, struct pk_err *err)
{
	const struct pdu_profile *p = pdu->prof;
	const char *oids[7] = { p->model, p->device_name, p->firmware, p->serial,
	                        p->bank_rows[0], p->bank_rows[1], p->out_current };
	const int index[7] = { -1, -1, -1, -1, -1, -1, 1 };
	char *dest[4] = { pdu->model, pdu->name, pdu->firmware, pdu->serial };
	struct snmp_vb *v;
	long long r;
	int rc = get_list(s, oids, index, 7, &v, err);

	if (rc != 0)
		return rc;
	for (int i = 0; i < 4; i++)
		vb_text(&v[i], dest[i], PDU_NAME_MAX);
	*rows = 0;
	for (int i = 4; i < 6; i++)
		if (vb_num(&v[i], &r) == 0 && r > 0 && r <= PDU_MAX_BANKS)
			*rows += (int)r;
	if (*rows > PDU_MAX_BANKS)
		*rows = PDU_MAX_BANKS;
	pdu->metered = !snmp_vb_missing(&v[6]);
	free(v);
	return 0;
}

/* Bank load: rows mapped to banks via the bank-number column when the
 * profile has one.  Never assume row = bank: CyberPower's load table has
 * the phase (whole-PDU) rows first, with BankNumber 0, then the banks. */
static int
read_banks(struct snmp_session *s, struct pdu *pdu, int rows, struct pk_err *err)
{
	const struct pdu_profile *p = pdu->prof;
	struct snmp_vb *v = vbs_alloc((size_t)rows * 3, err);
	int rc;

	if (v == NULL)
		return PK_ECOMM;
	for (int r = 0; r < rows; r++) {
		vb_ask(&v[r * 3], p->bank_load, r + 1);
		vb_ask(&v[r * 3 + 1], p->bank_state, r + 1);
		vb_ask(&v[r * 3 + 2], p->bank_number ? p->bank_number : p->bank_load, r + 1);
	}
	rc = snmp_get(s, v, (size_t)rows * 3, SNMP_LENIENT, err);
	for (int r = 0; rc == 0 && r < rows; r++) {
		struct pdu_bank *b = &pdu->banks[pdu->nbanks];
		long long load, state, number = r + 1;
		if (p->bank_number != NULL && vb_num(&v[r * 3 + 2], &number) != 0)
			continue;
		if (number < 1 || vb_num(&v[r * 3], &load) != 0)
			continue;  /* a phase or whole-PDU row */
		b->number = (int)number;
		b->load_a = (double)load / 10.0;
		b->raw_state = vb_num(&v[r * 3 + 1], &state) == 0 ? (int)state : -1;
		b->load_state = load_state_name(p, b->raw_state);
		pdu->nbanks++;
	}
	free(v);
	/* Show banks in bank order whatever the row order. */
	for (int i = 1; i < pdu->nbanks; i++)
		for (int j = i; j > 0 && pdu->banks[j - 1].number > pdu->banks[j].number; j--) {
			struct pdu_bank t = pdu->banks[j];
			pdu->banks[j] = pdu->banks[j - 1];
			pdu->banks[j - 1] = t;
		}
	return rc;
}

int
pdu_read_status(struct snmp_session *s, struct pdu *pdu, struct pk_err *err)
{
	const struct pdu_profile *p = pdu->prof;
	const char *cols[5] = { p->out_name, p->out_state, p->out_pending, NULL, NULL };
	struct snmp_vb *v;
	int rows = 0, rc;

	rc = read_identity(s, pdu, &rows, err);
	if (rc == 0 && rows > 0)
		rc = read_banks(s, pdu, rows, err);
	if (rc != 0)
		return rc;
	/* Metering columns only where the first outlet has them. */
	cols[3] = pdu->metered ? p->out_current : NULL;
	cols[4] = pdu->metered ? p->out_power : NULL;
	rc = get_outlet_cols(s, pdu, cols, 5, NULL, &v, err);
	if (rc != 0)
		return rc;
	for (int o = 0; o < pdu->noutlets; o++) {
		struct pdu_outlet *out = &pdu->outlets[o];
		const struct snmp_vb *row = &v[o * 5];
		long long x;
		vb_text(&row[0], out->name, sizeof out->name);
		out->state = decode_state(p, &row[1], &out->raw_state);
		out->pending = vb_num(&row[2], &x) == 0 ? x == 1 : -1;
		if ((out->has_current = vb_num(&row[3], &x) == 0) != 0)
			out->current_a = (double)x / 10.0;
		if ((out->has_power = vb_num(&row[4], &x) == 0) != 0)
			out->power_w = (long)x;
	}
	free(v);
	return 0;
}

/* ---- commands ------------------------------------------------------- */

int
pdu_command_vb(const struct pdu *pdu, int outlet, enum pdu_action a, int delayed,
               struct snmp_vb *vb, struct pk_err *err)
{
	const struct pdu_profile *p = pdu->prof;
	int value = delayed ? p->cmd_delayed[a] : p->cmd[a];

	if (value == 0)
		return pk_err_set(err, PK_EUSAGE, "usage", "profile %s has no delayed commands",
		                  p->name);
	vb_ask(vb, p->out_cmd, outlet);
	vb->type = BER_INTEGER;
	vb->i = value;
	return 0;
}

int
pdu_name_vb(const struct pdu *pdu, int outlet, const char *name, struct snmp_vb *vb,
            struct pk_err *err)
{
	if (name[0] == '\0' || strlen(name) >= PDU_NAME_MAX)
		return pk_err_set(err, PK_EUSAGE, "usage", "outlet name must be 1 to %d bytes",
		                  PDU_NAME_MAX - 1);
	vb_ask(vb, pdu->prof->out_name_set, outlet);
	snmp_vb_set_string(vb, name);
	return 0;
}
