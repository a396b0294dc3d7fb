/* fuzz_snmp_v3 — SNMPv3 messages as an agent sends them (snmp/snmp.c's
 * v3 decoding, snmp/usm.c's HMACs and ciphers), for a fixed user at each
 * security level: noAuthNoPriv; authNoPriv with HMAC-MD5-96; authPriv
 * with HMAC-SHA-96 and DES; authPriv with HMAC-SHA-256 and AES-128.  The
 * first byte picks the user and the form of the rest:
 *  - even: the rest is the whole message, decoded as it came;
 *  - odd: the rest is a scoped PDU that the harness wraps as the agent
 *    would (header, USM parameters), encrypts with the user's privacy key
 *    and signs with its authentication key, so that the HMAC check
 *    passes and the decrypted scoped PDU is what gets decoded.
 * Keys are made once from fixed passwords. */
#include "snmp/snmp.h"
#include "snmp/usm.h"
#include "fuzz.h"

#define NUSERS 4
static struct snmp_usm users[NUSERS];
static const uint8_t engine[] = { 0x80, 0x00, 0x1f, 0x88, 0x80, 'f', 'u', 'z', 'z' };

static void
make_user(struct snmp_usm *u, enum snmp_level level, enum snmp_auth auth,
          enum snmp_priv priv)
{
	static const char auth_pw[] = "authpass123", priv_pw[] = "privpass456";

	memset(u, 0, sizeof *u);
	u->level = level;
	u->auth = auth;
	u->priv = priv;
	snprintf(u->user, sizeof u->user, "fuzzer");
	if (auth != SNMP_AUTH_NONE) {
		snmp_usm_password_to_key(auth, auth_pw, strlen(auth_pw), u->auth_ku);
		snmp_usm_password_to_key(auth, priv_pw, strlen(priv_pw), u->priv_ku);
	}
	memcpy(u->engine_id, engine, sizeof engine);
	u->engine_id_len = sizeof engine;
	u->discovered = 1;
	u->boots = 3;
	u->time = 12345;
	if (auth != SNMP_AUTH_NONE)
		snmp_usm_localize(u);
}

static void
make_users(void)
{
	make_user(&users[0], SNMP_NOAUTH, SNMP_AUTH_NONE, SNMP_PRIV_NONE);
	make_user(&users[1], SNMP_AUTHNOPRIV, SNMP_AUTH_MD5, SNMP_PRIV_NONE);
	make_user(&users[2], SNMP_AUTHPRIV, SNMP_AUTH_SHA, SNMP_PRIV_DES);
	make_user(&users[3], SNMP_AUTHPRIV, SNMP_AUTH_SHA256, SNMP_PRIV_AES);
}

/* The place of the HMAC is first filled with this byte, found again once
 * the message is whole, zeroed and signed: nothing before it (fixed
 * header, engine ID, user) holds a run of it. */
#define MAC_MARK 0xa5

/* The agent's message around scoped (encrypted when the user has
 * privacy), signed when the user authenticates.  0 or -1. */
static int
wrap(struct snmp_usm *u, const uint8_t *scoped, size_t n, struct pk_buf *out)
{
	struct pk_buf gd = { 0 }, sp = { 0 }, seq = { 0 }, body = { 0 };
	uint8_t mark[SNMP_USM_HASH_MAX], salt[8] = { 0 }, flags = 0, *enc = NULL;
	size_t mac_len = u->level >= SNMP_AUTHNOPRIV ? snmp_usm_mac_len(u->auth) : 0;
	size_t enc_len = 0;
	int rc = -1;

	flags |= u->level >= SNMP_AUTHNOPRIV ? SNMP_V3_AUTH : 0;
	flags |= u->level == SNMP_AUTHPRIV ? SNMP_V3_PRIV : 0;
	memset(mark, MAC_MARK, sizeof mark);
	if (u->level == SNMP_AUTHPRIV) {
		enc = malloc(n + 8);
		if (snmp_usm_encrypt(u, u->boots, u->time, scoped, n, enc, &enc_len, salt) != 0)
			goto out;
	}
	if (ber_put_int(&gd, BER_INTEGER, 77) || ber_put_int(&gd, BER_INTEGER, 65507) ||
	    ber_put_bytes(&gd, BER_OCTETS, &flags, 1) || ber_put_int(&gd, BER_INTEGER, 3) ||
	    ber_put_bytes(&sp, BER_OCTETS, u->engine_id, u->engine_id_len) ||
	    ber_put_int(&sp, BER_INTEGER, u->boots) || ber_put_int(&sp, BER_INTEGER, u->time) ||
	    ber_put_bytes(&sp, BER_OCTETS, u->user, strlen(u->user)) ||
	    ber_put_bytes(&sp, BER_OCTETS, mark, mac_len) ||
	    ber_put_bytes(&sp, BER_OCTETS, salt, enc ? 8 : 0) ||
	    ber_put_wrap(&seq, BER_SEQUENCE, &sp) || ber_put_int(&body, BER_INTEGER, 3) ||
	    ber_put_wrap(&body, BER_SEQUENCE, &gd) || ber_put_wrap(&body, BER_OCTETS, &seq) ||
	    (enc ? ber_put_bytes(&body, BER_OCTETS, enc, enc_len) : pk_buf_add(&body, scoped, n)) ||
	    ber_put_wrap(out, BER_SEQUENCE, &body))
		goto out;
	if (mac_len > 0) {
		uint8_t *m = (uint8_t *)out->data, *at = NULL;

		for (size_t i = 0; at == NULL && i + mac_len <= out->len; i++)
			if (memcmp(m + i, mark, mac_len) == 0)
				at = m + i;
		FUZZ_ASSERT(at != NULL);
		memset(at, 0, mac_len);
		snmp_usm_hmac(u->auth, u->auth_key, m, out->len, at);
	}
	rc = 0;
out:
	free(enc);
	pk_buf_free(&gd);
	pk_buf_free(&sp);
	pk_buf_free(&seq);
	pk_buf_free(&body);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct snmp_vb vbs[SNMP_MAX_VB];
	static int ready;
	struct snmp_usm *u;
	struct snmp_v3_hdr h;
	struct snmp_msg m;
	struct pk_buf msg = { 0 }, text = { 0 };
	const char *why;
	int rc;

	if (!ready) {
		make_users();
		ready = 1;
	}
	if (size < 1)
		return 0;
	u = &users[(data[0] >> 1) % NUSERS];
	if (data[0] & 1) {
		if (wrap(u, data + 1, size - 1, &msg) != 0) {
			pk_buf_free(&msg);
			return 0;
		}
	} else {
		pk_buf_add(&msg, data + 1, size - 1);
	}
	rc = snmp_decode_v3((uint8_t *)msg.data, msg.len, u, &h, &m, vbs, SNMP_MAX_VB, &why);
	/* What the harness signed passes the HMAC check. */
	if ((data[0] & 1) && u->level >= SNMP_AUTHNOPRIV)
		FUZZ_ASSERT(rc != SNMP_V3_UNAUTHENTIC);
	if (rc == 0) {
		FUZZ_ASSERT(m.nvb <= SNMP_MAX_VB && h.engine_id_len <= SNMP_USM_ENGINE_MAX);
		for (size_t i = 0; i < m.nvb; i++)
			snmp_vb_format(&vbs[i], &text);
	}
	pk_buf_free(&text);
	pk_buf_free(&msg);
	return 0;
}
