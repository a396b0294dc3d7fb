/* usm.c — see snmp/usm.h. */
#include "snmp/usm.h"

#include <strings.h>
#include <string.h>

#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <nettle/cfb.h>
#include <nettle/des.h>
#include <nettle/hmac.h>
#include <nettle/md5.h>
#include <nettle/nettle-meta.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include "core/buf.h"

/* ---- names ---------------------------------------------------------- */

static const char *const auth_names[] = {
	"none", "MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512"
};
static const char *const priv_names[] = { "none", "DES", "AES", "AES-192", "AES-256" };
static const char *const level_names[] = { "noAuthNoPriv", "authNoPriv", "authPriv" };

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* Index of name in names (from 1: "none" is not a choice), or of the
 * alias when name is that; -1 for neither. */
static int
find_name(const char *const *names, size_t n, const char *alias, int alias_index,
          const char *name)
{
	for (size_t i = 1; i < n; i++)
		if (strcasecmp(names[i], name) == 0)
			return (int)i;
	return strcasecmp(alias, name) == 0 ? alias_index : -1;
}

int
snmp_usm_auth_parse(const char *name, enum snmp_auth *out)
{
	int i = find_name(auth_names, COUNT(auth_names), "SHA1", SNMP_AUTH_SHA, name);

	if (i >= 0)
		*out = (enum snmp_auth)i;
	return i >= 0 ? 0 : -1;
}

int
snmp_usm_priv_parse(const char *name, enum snmp_priv *out)
{
	int i = find_name(priv_names, COUNT(priv_names), "AES-128", SNMP_PRIV_AES, name);

	if (i >= 0)
		*out = (enum snmp_priv)i;
	return i >= 0 ? 0 : -1;
}

int
snmp_usm_level_parse(const char *name, enum snmp_level *out)
{
	for (size_t i = 0; i < COUNT(level_names); i++) {
		if (strcasecmp(level_names[i], name) == 0) {
			*out = (enum snmp_level)i;
			return 0;
		}
	}
	return -1;
}

const char *
snmp_usm_auth_name(enum snmp_auth a)
{
	return (size_t)a < COUNT(auth_names) ? auth_names[a] : "?";
}

const char *
snmp_usm_priv_name(enum snmp_priv p)
{
	return (size_t)p < COUNT(priv_names) ? priv_names[p] : "?";
}

const char *
snmp_usm_level_name(enum snmp_level l)
{
	return (size_t)l < COUNT(level_names) ? level_names[l] : "?";
}

/* ---- hashes --------------------------------------------------------- */

static const struct nettle_hash *
hash_of(enum snmp_auth a)
{
	switch (a) {
	case SNMP_AUTH_MD5: return &nettle_md5;
	case SNMP_AUTH_SHA: return &nettle_sha1;
	case SNMP_AUTH_SHA224: return &nettle_sha224;
	case SNMP_AUTH_SHA256: return &nettle_sha256;
	case SNMP_AUTH_SHA384: return &nettle_sha384;
	case SNMP_AUTH_SHA512: return &nettle_sha512;
	default: return NULL;
	}
}

/* Room for any of the hashes' states. */
union hash_ctx {
	struct md5_ctx md5;
	struct sha1_ctx sha1;
	struct sha256_ctx sha256;
	struct sha512_ctx sha512;
};

size_t
snmp_usm_hash_len(enum snmp_auth a)
{
	const struct nettle_hash *h = hash_of(a);

	return h != NULL ? h->digest_size : 0;
}

size_t
snmp_usm_mac_len(enum snmp_auth a)
{
	switch (a) {
	case SNMP_AUTH_MD5:
	case SNMP_AUTH_SHA: return 12;     /* RFC 3414: HMAC-*-96 */
	case SNMP_AUTH_SHA224: return 16;  /* RFC 7860: usmHMAC128SHA224AuthProtocol */
	case SNMP_AUTH_SHA256: return 24;
	case SNMP_AUTH_SHA384: return 32;
	case SNMP_AUTH_SHA512: return 48;
	default: return 0;
	}
}

int
snmp_usm_password_to_key(enum snmp_auth a, const char *pw, size_t pwlen, uint8_t *ku)
{
	const struct nettle_hash *h = hash_of(a);
	union hash_ctx ctx;
	uint8_t chunk[64];
	size_t done, i, at = 0;

	if (h == NULL || pwlen == 0)
		return -1;
	h->init(&ctx);
	/* 1 MiB of the password repeated, fed 64 bytes at a time. */
	for (done = 0; done < 1048576; done += sizeof chunk) {
		for (i = 0; i < sizeof chunk; i++) {
			chunk[i] = (uint8_t)pw[at];
			at = at + 1 == pwlen ? 0 : at + 1;
		}
		h->update(&ctx, sizeof chunk, chunk);
	}
	h->digest(&ctx, h->digest_size, ku);
	pk_secret_wipe((char *)chunk, sizeof chunk);
	pk_secret_wipe((char *)&ctx, sizeof ctx);
	return 0;
}

void
snmp_usm_localize_key(enum snmp_auth a, const uint8_t *ku, const uint8_t *engine, size_t elen,
                      uint8_t *kul)
{
	const struct nettle_hash *h = hash_of(a);
	union hash_ctx ctx;

	if (h == NULL)
		return;
	h->init(&ctx);
	h->update(&ctx, h->digest_size, ku);
	h->update(&ctx, elen, engine);
	h->update(&ctx, h->digest_size, ku);
	h->digest(&ctx, h->digest_size, kul);
	pk_secret_wipe((char *)&ctx, sizeof ctx);
}

static size_t
priv_key_len(enum snmp_priv p)
{
	switch (p) {
	case SNMP_PRIV_DES: return 16;   /* 8 bytes of key, 8 of pre-IV */
	case SNMP_PRIV_AES: return 16;
	case SNMP_PRIV_AES192: return 24;
	case SNMP_PRIV_AES256: return 32;
	default: return 0;
	}
}

void
snmp_usm_localize(struct snmp_usm *u)
{
	const struct nettle_hash *h = hash_of(u->auth);
	size_t have;

	if (h == NULL)
		return;
	snmp_usm_localize_key(u->auth, u->auth_ku, u->engine_id, u->engine_id_len, u->auth_key);
	if (u->priv == SNMP_PRIV_NONE)
		return;
	/* The privacy key is localised with the authentication hash. */
	snmp_usm_localize_key(u->auth, u->priv_ku, u->engine_id, u->engine_id_len, u->priv_key);
	have = h->digest_size;
	/* draft-blumenthal-aes-usm-04 3.1.2.1 (net-snmp's AES-192/AES-256):
	 * a localised key shorter than the cipher's is extended with the hash
	 * of what there is, Kul || H(Kul), until it is long enough. */
	while (have < priv_key_len(u->priv)) {
		union hash_ctx ctx;
		h->init(&ctx);
		h->update(&ctx, have, u->priv_key);
		h->digest(&ctx, h->digest_size, u->priv_key + have);
		have += h->digest_size;
	}
}

void
snmp_usm_hmac(enum snmp_auth a, const uint8_t *key, const uint8_t *msg, size_t n, uint8_t *mac)
{
	const struct nettle_hash *h = hash_of(a);
	union hash_ctx outer, inner, state;
	uint8_t full[SNMP_USM_HASH_MAX];

	if (h == NULL)
		return;
	/* The key is the localised key, as long as the digest. */
	hmac_set_key(&outer, &inner, &state, h, h->digest_size, key);
	hmac_update(&state, h, n, msg);
	hmac_digest(&outer, &inner, &state, h, h->digest_size, full);
	memcpy(mac, full, snmp_usm_mac_len(a));
	pk_secret_wipe((char *)&outer, sizeof outer);
	pk_secret_wipe((char *)&inner, sizeof inner);
	pk_secret_wipe((char *)&state, sizeof state);
}

/* ---- privacy -------------------------------------------------------- */

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Room for any AES key schedule; CFB encrypts with it both ways. */
union aes_any_ctx {
	struct aes128_ctx a128;
	struct aes192_ctx a192;
	struct aes256_ctx a256;
};

/* The AES key schedule for u's cipher and the function that runs it. */
static nettle_cipher_func *
aes_setup(const struct snmp_usm *u, union aes_any_ctx *ctx)
{
	switch (u->priv) {
	case SNMP_PRIV_AES:
		aes128_set_encrypt_key(&ctx->a128, u->priv_key);
		return (nettle_cipher_func *)aes128_encrypt;
	case SNMP_PRIV_AES192:
		aes192_set_encrypt_key(&ctx->a192, u->priv_key);
		return (nettle_cipher_func *)aes192_encrypt;
	case SNMP_PRIV_AES256:
		aes256_set_encrypt_key(&ctx->a256, u->priv_key);
		return (nettle_cipher_func *)aes256_encrypt;
	default:
		return NULL;
	}
}

/* RFC 3826 3.1.2.1: IV = boots || time || the 64-bit salt. */
static void
aes_iv(uint8_t iv[16], uint32_t boots, uint32_t time, const uint8_t *salt)
{
	put_be32(iv, boots);
	put_be32(iv + 4, time);
	memcpy(iv + 8, salt, 8);
}

/* RFC 3826 3.1.3/3.1.4: AES in CFB mode (no padding) over n bytes;
 * encrypt 1 or 0.  0, or -1 when u's cipher is no AES. */
static int
aes_cfb(const struct snmp_usm *u, uint32_t boots, uint32_t time, const uint8_t *salt,
        const uint8_t *in, size_t n, uint8_t *out, int encrypt)
{
	union aes_any_ctx ctx;
	nettle_cipher_func *f = aes_setup(u, &ctx);
	uint8_t iv[16];

	if (f == NULL)
		return -1;
	aes_iv(iv, boots, time, salt);
	if (encrypt)
		cfb_encrypt(&ctx, f, AES_BLOCK_SIZE, iv, n, out, in);
	else
		cfb_decrypt(&ctx, f, AES_BLOCK_SIZE, iv, n, out, in);
	pk_secret_wipe((char *)&ctx, sizeof ctx);
	return 0;
}

/* RFC 3414 8.1.1.1: the DES key is the first 8 bytes of the localised
 * key; the IV is the last 8 (the pre-IV) XOR the salt.  0, or -1 for a
 * weak key, which nettle refuses. */
static int
des_setup(const struct snmp_usm *u, struct des_ctx *ctx, const uint8_t *salt, uint8_t iv[8])
{
	for (int i = 0; i < 8; i++)
		iv[i] = u->priv_key[8 + i] ^ salt[i];
	return des_set_key(ctx, u->priv_key) ? 0 : -1;
}

int
snmp_usm_encrypt(struct snmp_usm *u, uint32_t boots, uint32_t time, const uint8_t *in, size_t n,
                 uint8_t *out, size_t *outlen, uint8_t priv_params[8])
{
	uint8_t iv[16];
	int rc = 0;

	/* The salt only has to differ between messages: a counter. */
	for (int i = 0; i < 8; i++)
		priv_params[i] = (uint8_t)(u->salt >> (56 - 8 * i));
	if (u->priv == SNMP_PRIV_DES) {
		/* RFC 3414 8.1.1.1: salt = boots || a local 32-bit counter. */
		struct des_ctx ctx;
		size_t padded = (n + 7) / 8 * 8;

		put_be32(priv_params, boots);
		memcpy(out, in, n);
		memset(out + n, 0, padded - n);   /* padding: any value will do */
		rc = des_setup(u, &ctx, priv_params, iv);
		if (rc == 0)
			cbc_encrypt(&ctx, (nettle_cipher_func *)des_encrypt, DES_BLOCK_SIZE, iv, padded,
			            out, out);
		*outlen = padded;
		pk_secret_wipe((char *)&ctx, sizeof ctx);
	} else {
		rc = aes_cfb(u, boots, time, priv_params, in, n, out, 1);
		*outlen = n;
	}
	u->salt++;
	return rc;
}

int
snmp_usm_decrypt(const struct snmp_usm *u, uint32_t boots, uint32_t time,
                 const uint8_t *priv_params, size_t pplen, const uint8_t *in, size_t n,
                 uint8_t *out)
{
	uint8_t iv[16];
	int rc = 0;

	if (pplen != 8)
		return -1;
	if (u->priv == SNMP_PRIV_DES) {
		struct des_ctx ctx;

		if (n % 8 != 0 || des_setup(u, &ctx, priv_params, iv) != 0)
			return -1;
		cbc_decrypt(&ctx, (nettle_cipher_func *)des_decrypt, DES_BLOCK_SIZE, iv, n, out, in);
		pk_secret_wipe((char *)&ctx, sizeof ctx);
	} else {
		rc = aes_cfb(u, boots, time, priv_params, in, n, out, 0);
	}
	return rc;
}

uint32_t
snmp_usm_time_now(const struct snmp_usm *u, int64_t now_ms)
{
	int64_t passed = now_ms > u->time_at ? (now_ms - u->time_at) / 1000 : 0;
	uint64_t t = (uint64_t)u->time + (uint64_t)passed;

	return t > INT32_MAX ? INT32_MAX : (uint32_t)t;
}

void
snmp_usm_wipe(struct snmp_usm *u)
{
	pk_secret_wipe((char *)u->auth_ku, sizeof u->auth_ku);
	pk_secret_wipe((char *)u->priv_ku, sizeof u->priv_ku);
	pk_secret_wipe((char *)u->auth_key, sizeof u->auth_key);
	pk_secret_wipe((char *)u->priv_key, sizeof u->priv_key);
}
