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
#include "core/dl.h"

/* ---- nettle, loaded when first needed -------------------------------- */

/* nettle is loaded with dlopen the first time a key, a MAC or a cipher
 * is asked for, so a run without SNMPv3 authentication never maps it:
 * linked, it costs every pductl run about 0.3 ms of start-up (make bench,
 * "nettle linked into an empty program"), a quarter of a `get`.  Its
 * headers give the types; the functions and hash descriptions are
 * looked up by name (nettle's ABI 8, Debian's libnettle8, which apt
 * itself needs through gnutls). */
#define LIBNETTLE "libnettle.so.8"

static struct {
	void *lib;
	const struct nettle_hash *md5, *sha1, *sha224, *sha256, *sha384, *sha512;
	void (*mac_key)(void *outer, void *inner, void *state, const struct nettle_hash *hash,
	                size_t length, const uint8_t *key);
	void (*mac_update)(void *state, const struct nettle_hash *hash, size_t length,
	                   const uint8_t *data);
	void (*mac_digest)(const void *outer, const void *inner, void *state,
	                   const struct nettle_hash *hash, size_t length, uint8_t *digest);
	void (*aes128_key)(struct aes128_ctx *ctx, const uint8_t *key);
	void (*aes192_key)(struct aes192_ctx *ctx, const uint8_t *key);
	void (*aes256_key)(struct aes256_ctx *ctx, const uint8_t *key);
	nettle_cipher_func *aes128_run, *aes192_run, *aes256_run;
	void (*cfb_enc)(const void *ctx, nettle_cipher_func *f, size_t block_size, uint8_t *iv,
	                size_t length, uint8_t *dst, const uint8_t *src);
	void (*cfb_dec)(const void *ctx, nettle_cipher_func *f, size_t block_size, uint8_t *iv,
	                size_t length, uint8_t *dst, const uint8_t *src);
	int (*des_key)(struct des_ctx *ctx, const uint8_t *key);
	nettle_cipher_func *des_enc_run, *des_dec_run;
	void (*cbc_enc)(const void *ctx, nettle_cipher_func *f, size_t block_size, uint8_t *iv,
	                size_t length, uint8_t *dst, const uint8_t *src);
	void (*cbc_dec)(const void *ctx, nettle_cipher_func *f, size_t block_size, uint8_t *iv,
	                size_t length, uint8_t *dst, const uint8_t *src);
} nt;

#define NT(name, field) { name, (void **)&nt.field }

static const struct pk_dl_sym nt_syms[] = {
	NT("nettle_md5", md5),
	NT("nettle_sha1", sha1),
	NT("nettle_sha224", sha224),
	NT("nettle_sha256", sha256),
	NT("nettle_sha384", sha384),
	NT("nettle_sha512", sha512),
	NT("nettle_hmac_set_key", mac_key),
	NT("nettle_hmac_update", mac_update),
	NT("nettle_hmac_digest", mac_digest),
	NT("nettle_aes128_set_encrypt_key", aes128_key),
	NT("nettle_aes192_set_encrypt_key", aes192_key),
	NT("nettle_aes256_set_encrypt_key", aes256_key),
	NT("nettle_aes128_encrypt", aes128_run),
	NT("nettle_aes192_encrypt", aes192_run),
	NT("nettle_aes256_encrypt", aes256_run),
	NT("nettle_cfb_encrypt", cfb_enc),
	NT("nettle_cfb_decrypt", cfb_dec),
	NT("nettle_des_set_key", des_key),
	NT("nettle_des_encrypt", des_enc_run),
	NT("nettle_des_decrypt", des_dec_run),
	NT("nettle_cbc_encrypt", cbc_enc),
	NT("nettle_cbc_decrypt", cbc_dec),
};

int
snmp_usm_load(struct pk_err *err)
{
	return pk_dl_load(&nt.lib, LIBNETTLE, nt_syms, sizeof nt_syms / sizeof nt_syms[0], "snmpv3",
	                  "SNMPv3 authentication needs nettle's " LIBNETTLE
	                  " (Debian package libnettle8)", err);
}

/* 1 once nettle is loaded (loading it now if need be). */
static int
nettle_ready(void)
{
	struct pk_err ignored;

	return snmp_usm_load(&ignored) == 0;
}

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

/* a's hash, NULL for none (or when nettle cannot be loaded). */
static const struct nettle_hash *
hash_of(enum snmp_auth a)
{
	if (a == SNMP_AUTH_NONE || !nettle_ready())
		return NULL;
	switch (a) {
	case SNMP_AUTH_MD5: return nt.md5;
	case SNMP_AUTH_SHA: return nt.sha1;
	case SNMP_AUTH_SHA224: return nt.sha224;
	case SNMP_AUTH_SHA256: return nt.sha256;
	case SNMP_AUTH_SHA384: return nt.sha384;
	case SNMP_AUTH_SHA512: return nt.sha512;
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
	nt.mac_key(&outer, &inner, &state, h, h->digest_size, key);
	nt.mac_update(&state, h, n, msg);
	nt.mac_digest(&outer, &inner, &state, h, h->digest_size, full);
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
	if (!nettle_ready())
		return NULL;
	switch (u->priv) {
	case SNMP_PRIV_AES:
		nt.aes128_key(&ctx->a128, u->priv_key);
		return nt.aes128_run;
	case SNMP_PRIV_AES192:
		nt.aes192_key(&ctx->a192, u->priv_key);
		return nt.aes192_run;
	case SNMP_PRIV_AES256:
		nt.aes256_key(&ctx->a256, u->priv_key);
		return nt.aes256_run;
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
		nt.cfb_enc(&ctx, f, AES_BLOCK_SIZE, iv, n, out, in);
	else
		nt.cfb_dec(&ctx, f, AES_BLOCK_SIZE, iv, n, out, in);
	pk_secret_wipe((char *)&ctx, sizeof ctx);
	return 0;
}

/* RFC 3414 8.1.1.1: the DES key is the first 8 bytes of the localised
 * key; the IV is the last 8 (the pre-IV) XOR the salt.  0, or -1 for a
 * weak key, which nettle refuses (or no nettle). */
static int
des_setup(const struct snmp_usm *u, struct des_ctx *ctx, const uint8_t *salt, uint8_t iv[8])
{
	for (int i = 0; i < 8; i++)
		iv[i] = u->priv_key[8 + i] ^ salt[i];
	return nettle_ready() && nt.des_key(ctx, u->priv_key) ? 0 : -1;
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
			nt.cbc_enc(&ctx, nt.des_enc_run, DES_BLOCK_SIZE, iv, padded, out, out);
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
		nt.cbc_dec(&ctx, nt.des_dec_run, DES_BLOCK_SIZE, iv, n, out, in);
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
