/* Unit tests for the SNMPv3 User-based Security Model (snmp/usm.h):
 * password-to-key and key localisation with the vectors of RFC 3414
 * A.3.1 (MD5) and A.3.2 (SHA), the SHA-2 family (RFC 7860 gives no
 * vectors: these were computed with Python's hashlib, an independent
 * implementation), the truncated HMACs against RFC 2202 and RFC 4231,
 * DES-CBC against the FIPS 81 example, AES-128-CFB against NIST SP
 * 800-38A F.3.13, round trips for every cipher, the names, and whole
 * v3 messages: encoded, authenticated, encrypted and decoded back, and
 * refused when a byte changes. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "snmp/snmp.h"
#include "snmp/usm.h"
#include "tap.h"

/* Hex text to bytes; returns how many. */
static size_t
unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	unsigned int byte;

	while (s[0] && s[1] && sscanf(s, "%2x", &byte) == 1) {
		out[n++] = (uint8_t)byte;
		s += 2;
	}
	return n;
}

static int
eq_hex(const uint8_t *got, const char *want)
{
	uint8_t w[128];
	size_t n = unhex(want, w);

	return memcmp(got, w, n) == 0;
}

struct key_vector {
	enum snmp_auth auth;
	const char *ku, *kul;
};

static void
test_keys(void)
{
	static const struct key_vector v[] = {
		{ SNMP_AUTH_MD5, "9faf3283884e92834ebc9847d8edd963",
		  "526f5eed9fcce26f8964c2930787d82b" },
		{ SNMP_AUTH_SHA, "9fb5cc0381497b3793528939ff788d5d79145211",
		  "6695febc9288e36282235fc7151f128497b38f3f" },
		{ SNMP_AUTH_SHA224, "282a5867ee9aac639ad59df9572c7d3ac0fbc13a905b6df07dbbf00b",
		  "0bd8827c6e29f8065e08e09237f177e410f69b90e1782be682075674" },
		{ SNMP_AUTH_SHA256, "ab51014d1e077f6017df2b12bee5f5aa72993177e9bb569c4dff5a4ca0b4afac",
		  "8982e0e549e866db361a6b625d84cccc11162d453ee8ce3a6445c2d6776f0f8b" },
		{ SNMP_AUTH_SHA384, "e06eccdf2c68a06ed034723c9c26e0db3b669e1e2efed49150b55377a2e98f38"
		  "3c86fb836857444654b287c93f51ff64",
		  "3b298f16164a11184279d5432bf169e2d2a48307de02b3d3f7e2b4f36eb6f045"
		  "5a53689a3937eea07319a633d2ccba78" },
		{ SNMP_AUTH_SHA512, "7e4396de5aadc77be853819b98c9406265b3a9c37cc3176569847a4e4f6fba63"
		  "dd3a73d04924d31a63f95a601f9385af6be4ed1b37f87d040f7c6ed6f8d38a91",
		  "22a5a36cedfcc085807a128d7bc6c2382167ad6c0dbc5fdff856740f3d84c099"
		  "ad1ea87a8db096714d9788bd544047c9021e4229ce27e4c0a69250adfcffbb0b" },
	};
	const uint8_t engine[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		uint8_t ku[SNMP_USM_HASH_MAX], kul[SNMP_USM_HASH_MAX];
		const char *name = snmp_usm_auth_name(v[i].auth);

		TAP_OK(snmp_usm_password_to_key(v[i].auth, "maplesyrup", 10, ku) == 0 &&
		       eq_hex(ku, v[i].ku), "%s: password-to-key of \"maplesyrup\"", name);
		snmp_usm_localize_key(v[i].auth, ku, engine, sizeof engine, kul);
		TAP_OK(eq_hex(kul, v[i].kul), "%s: key localised to engine 00..02", name);
	}
	TAP_OK(snmp_usm_password_to_key(SNMP_AUTH_MD5, "", 0, (uint8_t[16]){ 0 }) == -1,
	       "an empty password has no key");
	TAP_OK(snmp_usm_password_to_key(SNMP_AUTH_NONE, "maplesyrup", 10,
	                                (uint8_t[64]){ 0 }) == -1, "no key without a hash");
}

static void
test_lengths(void)
{
	TAP_OK(snmp_usm_mac_len(SNMP_AUTH_MD5) == 12 && snmp_usm_mac_len(SNMP_AUTH_SHA) == 12,
	       "HMAC-MD5-96 and HMAC-SHA-96 carry 12 bytes");
	TAP_OK(snmp_usm_mac_len(SNMP_AUTH_SHA224) == 16 && snmp_usm_mac_len(SNMP_AUTH_SHA256) == 24 &&
	       snmp_usm_mac_len(SNMP_AUTH_SHA384) == 32 && snmp_usm_mac_len(SNMP_AUTH_SHA512) == 48,
	       "RFC 7860 truncations: 16, 24, 32, 48 bytes");
	TAP_OK(snmp_usm_hash_len(SNMP_AUTH_SHA224) == 28 && snmp_usm_hash_len(SNMP_AUTH_SHA512) == 64,
	       "hash lengths");
}

static void
test_hmac(void)
{
	uint8_t key[64], mac[64];

	/* RFC 2202 test case 1: the key is 0x0b repeated, as long as the
	 * digest (USM keys always are). */
	memset(key, 0x0b, sizeof key);
	snmp_usm_hmac(SNMP_AUTH_MD5, key, (const uint8_t *)"Hi There", 8, mac);
	TAP_OK(eq_hex(mac, "9294727a3638bb1c13f48ef8") && mac[11] == 0xf8,
	       "HMAC-MD5-96: RFC 2202 case 1, first 12 bytes");
	memset(mac, 0, sizeof mac);
	snmp_usm_hmac(SNMP_AUTH_SHA, key, (const uint8_t *)"Hi There", 8, mac);
	TAP_OK(eq_hex(mac, "b617318655057264e28bc0b6") && mac[12] == 0,
	       "HMAC-SHA-96: RFC 2202 case 1, 12 bytes and no more");
	/* RFC 4231 test case 1 uses a 20-byte key; USM's SHA-256 key is 32
	 * bytes, so the vector is hashlib's with 32 bytes of 0x0b. */
	memset(mac, 0, sizeof mac);
	snmp_usm_hmac(SNMP_AUTH_SHA256, key, (const uint8_t *)"Hi There", 8, mac);
	TAP_OK(eq_hex(mac, "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c") && mac[24] == 0,
	       "HMAC-SHA-256 truncated to 24 bytes");
}

static void
test_des(void)
{
	struct snmp_usm u = { .level = SNMP_AUTHPRIV, .auth = SNMP_AUTH_MD5, .priv = SNMP_PRIV_DES };
	const uint8_t zero_salt[8] = { 0 };
	uint8_t ct[24], pt[32], back[32];
	uint8_t pp[8];
	size_t n = 0;

	/* FIPS 81 CBC example: key 0123456789abcdef, IV 1234567890abcdef.
	 * With a zero salt the pre-IV (the key's last 8 bytes) is the IV. */
	unhex("0123456789abcdef1234567890abcdef", u.priv_key);
	unhex("e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6", ct);
	TAP_OK(snmp_usm_decrypt(&u, 0, 0, zero_salt, 8, ct, 24, pt) == 0 &&
	       memcmp(pt, "Now is the time for all ", 24) == 0, "DES-CBC: FIPS 81 example");
	TAP_OK(snmp_usm_decrypt(&u, 0, 0, zero_salt, 8, ct, 20, pt) == -1,
	       "DES-CBC: a length that is no multiple of 8 is refused");
	TAP_OK(snmp_usm_decrypt(&u, 0, 0, zero_salt, 4, ct, 24, pt) == -1,
	       "DES-CBC: privParameters of 4 bytes are refused");
	u.salt = 0x1122334455667788ull;
	TAP_OK(snmp_usm_encrypt(&u, 7, 99, (const uint8_t *)"a scoped PDU", 12, pt, &n, pp) == 0 &&
	       n == 16, "DES-CBC pads to its block");
	TAP_OK(pp[0] == 0 && pp[3] == 7 && pp[4] == 0x55 && pp[7] == 0x88 && u.salt == 0x1122334455667789ull,
	       "DES salt is boots || the counter's low 32 bits, and the counter moves");
	TAP_OK(snmp_usm_decrypt(&u, 7, 99, pp, 8, pt, n, back) == 0 &&
	       memcmp(back, "a scoped PDU", 12) == 0, "DES-CBC round trip");
}

static void
test_aes(void)
{
	struct snmp_usm u = { .level = SNMP_AUTHPRIV, .auth = SNMP_AUTH_SHA, .priv = SNMP_PRIV_AES };
	uint8_t ct[16], pt[16], salt[8], out[64], back[64], pp[8];
	size_t n = 0;

	/* SP 800-38A F.3.13 CFB128-AES128.Encrypt, block 1: the IV
	 * 000102...0f is boots 0x00010203, time 0x04050607, salt 08..0f. */
	unhex("2b7e151628aed2a6abf7158809cf4f3c", u.priv_key);
	unhex("08090a0b0c0d0e0f", salt);
	unhex("3b3fd92eb72dad20333449f8e83cfb4a", ct);
	unhex("6bc1bee22e409f96e93d7e117393172a", pt);
	TAP_OK(snmp_usm_decrypt(&u, 0x00010203, 0x04050607, salt, 8, ct, 16, out) == 0 &&
	       memcmp(out, pt, 16) == 0, "AES-128-CFB: SP 800-38A F.3.13");
	u.salt = 0x08090a0b0c0d0e0full;
	TAP_OK(snmp_usm_encrypt(&u, 0x00010203, 0x04050607, pt, 16, out, &n, pp) == 0 && n == 16 &&
	       memcmp(out, ct, 16) == 0 && memcmp(pp, salt, 8) == 0,
	       "AES-128-CFB encrypts to the same, salt in privParameters");
	for (enum snmp_priv p = SNMP_PRIV_AES192; p <= SNMP_PRIV_AES256; p++) {
		u.priv = p;
		TAP_OK(snmp_usm_encrypt(&u, 5, 6, (const uint8_t *)"odd length 13", 13, out, &n, pp) == 0 &&
		       n == 13 && snmp_usm_decrypt(&u, 5, 6, pp, 8, out, n, back) == 0 &&
		       memcmp(back, "odd length 13", 13) == 0, "%s round trip, no padding",
		       snmp_usm_priv_name(p));
	}
}

static void
test_extension(void)
{
	struct snmp_usm u = { .auth = SNMP_AUTH_MD5, .priv = SNMP_PRIV_AES256, .engine_id_len = 12 };
	uint8_t kul[16], hkul[16];

	u.engine_id[11] = 2;
	snmp_usm_password_to_key(SNMP_AUTH_MD5, "maplesyrup", 10, u.auth_ku);
	snmp_usm_password_to_key(SNMP_AUTH_MD5, "maplesyrup", 10, u.priv_ku);
	snmp_usm_localize(&u);
	unhex("526f5eed9fcce26f8964c2930787d82b", kul);
	/* md5(Kul), computed with hashlib */
	unhex("fa24a92467426c2f4b09192be10dfaec", hkul);
	TAP_OK(memcmp(u.auth_key, kul, 16) == 0 && memcmp(u.priv_key, kul, 16) == 0,
	       "both keys localised with the authentication hash");
	TAP_OK(memcmp(u.priv_key + 16, hkul, 16) == 0,
	       "AES-256 with MD5: the key is extended with H(Kul) (Blumenthal)");
}

static void
test_names(void)
{
	enum snmp_auth a;
	enum snmp_priv p;
	enum snmp_level l;

	TAP_OK(snmp_usm_auth_parse("sha-256", &a) == 0 && a == SNMP_AUTH_SHA256, "-a sha-256");
	TAP_OK(snmp_usm_auth_parse("SHA", &a) == 0 && a == SNMP_AUTH_SHA, "-a SHA");
	TAP_OK(snmp_usm_auth_parse("SHA-1024", &a) == -1, "-a SHA-1024 is unknown");
	TAP_OK(snmp_usm_auth_parse("none", &a) == -1, "-a none is no protocol");
	TAP_OK(snmp_usm_priv_parse("AES", &p) == 0 && p == SNMP_PRIV_AES, "-x AES");
	TAP_OK(snmp_usm_priv_parse("aes-128", &p) == 0 && p == SNMP_PRIV_AES, "-x AES-128");
	TAP_OK(snmp_usm_priv_parse("3DES", &p) == -1, "-x 3DES is unknown");
	TAP_OK(snmp_usm_level_parse("authpriv", &l) == 0 && l == SNMP_AUTHPRIV, "-l authpriv");
	TAP_OK(snmp_usm_level_parse("auth", &l) == -1, "-l auth is unknown");
	TAP_STREQ(snmp_usm_level_name(SNMP_AUTHNOPRIV), "authNoPriv", "level name");
}

/* 1 when the k bytes of needle occur in the n bytes at hay. */
static int
contains(const void *hay, size_t n, const void *needle, size_t k)
{
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp((const char *)hay + i, needle, k) == 0)
			return 1;
	return 0;
}

/* A user at authPriv with keys localised to a made-up engine. */
static void
make_user(struct snmp_usm *u, enum snmp_auth a, enum snmp_priv p)
{
	memset(u, 0, sizeof *u);
	u->level = SNMP_AUTHPRIV;
	u->auth = a;
	u->priv = p;
	snprintf(u->user, sizeof u->user, "v3user");
	u->engine_id_len = 12;
	memcpy(u->engine_id, "\x80\x00\x1f\x88\x80testengin", 12);
	u->boots = 3;
	u->time = 1000;
	u->discovered = 1;
	snmp_usm_password_to_key(a, "auth-secret", 11, u->auth_ku);
	snmp_usm_password_to_key(a, "priv-secret", 11, u->priv_ku);
	snmp_usm_localize(u);
}

static void
test_messages(void)
{
	static const enum snmp_priv privs[] = { SNMP_PRIV_DES, SNMP_PRIV_AES, SNMP_PRIV_AES256 };

	for (size_t k = 0; k < sizeof privs / sizeof privs[0]; k++) {
		struct snmp_usm u;
		struct snmp_vb vb, back[2];
		struct snmp_v3_hdr h;
		struct snmp_msg m;
		struct pk_buf b = { 0 };
		const char *why = "", *name = snmp_usm_priv_name(privs[k]);
		int rc;

		make_user(&u, SNMP_AUTH_SHA256, privs[k]);
		memset(&vb, 0, sizeof vb);
		ber_oid_parse("1.3.6.1.2.1.1.5.0", &vb.oid);
		vb.type = BER_NULL;
		rc = snmp_encode_v3(&b, &u, 77, 0, SNMP_PDU_GET, 4242, 0, 0, &vb, 1, u.time_at);
		TAP_OK(rc == 0 && !contains(b.data, b.len, "\x2b\x06\x01\x02\x01\x01\x05", 7),
		       "%s: the message encodes and the OID is not in clear", name);
		rc = snmp_decode_v3((uint8_t *)b.data, b.len, &u, &h, &m, back, 2, &why);
		TAP_OK(rc == 0 && h.msg_id == 77 && h.authenticated && h.boots == 3 &&
		       h.time == 1000 && h.user_len == 6 && m.request_id == 4242 && m.nvb == 1 &&
		       m.pdu_type == SNMP_PDU_GET && ber_oid_cmp(&back[0].oid, &vb.oid) == 0,
		       "%s: decodes back, authenticated", name);
		pk_buf_reset(&b);
		snmp_encode_v3(&b, &u, 78, 0, SNMP_PDU_GET, 4243, 0, 0, &vb, 1, u.time_at);
		((uint8_t *)b.data)[b.len - 3] ^= 1;
		TAP_OK(snmp_decode_v3((uint8_t *)b.data, b.len, &u, &h, &m, back, 2, &why) ==
		       SNMP_V3_UNAUTHENTIC, "%s: one changed byte fails the HMAC", name);
		pk_buf_free(&b);
	}
}

static void
test_discovery_probe(void)
{
	struct snmp_usm u, none;
	struct snmp_v3_hdr h;
	struct snmp_msg m;
	struct snmp_vb back[1];
	struct pk_buf b = { 0 };
	const char *why = "";

	make_user(&u, SNMP_AUTH_MD5, SNMP_PRIV_AES);
	memset(&none, 0, sizeof none);
	TAP_OK(snmp_encode_v3(&b, &u, 5, 1, SNMP_PDU_GET, 6, 0, 0, NULL, 0, 0) == 0,
	       "the discovery probe encodes");
	TAP_OK(snmp_decode_v3((uint8_t *)b.data, b.len, &none, &h, &m, back, 1, &why) == 0 &&
	       !h.authenticated && h.engine_id_len == 0 && h.user_len == 0 && h.boots == 0 &&
	       m.nvb == 0 && (h.flags & (SNMP_V3_AUTH | SNMP_V3_PRIV)) == 0 &&
	       (h.flags & SNMP_V3_REPORTABLE), "it is noAuthNoPriv, reportable, with no engine "
	       "ID, user or varbind");
	pk_buf_free(&b);
}

int
main(void)
{
	test_keys();
	test_lengths();
	test_hmac();
	test_des();
	test_aes();
	test_extension();
	test_names();
	test_messages();
	test_discovery_probe();
	return TAP_DONE();
}
