/* snmp/usm.h — the User-based Security Model of SNMPv3: password-to-key
 * and key localisation (RFC 3414 A.2), HMAC authentication with
 * HMAC-MD5-96, HMAC-SHA-96 (RFC 3414) and the SHA-2 family (RFC 7860),
 * privacy with DES-CBC (RFC 3414 8) and AES-CFB (RFC 3826; 192 and 256
 * bits with the key extension of draft-blumenthal-aes-usm-04, as
 * net-snmp's AES-192/AES-256 do), and the user's state for one agent:
 * its engine ID, boots and time, and the keys localised to it.
 * The cryptography is nettle's, loaded at run time the first time it
 * is needed (snmp_usm_load); nothing here prints or allocates. */
#ifndef SNMP_USM_H
#define SNMP_USM_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum snmp_level {
	SNMP_NOAUTH = 0,       /* noAuthNoPriv */
	SNMP_AUTHNOPRIV = 1,
	SNMP_AUTHPRIV = 2
};

enum snmp_auth {
	SNMP_AUTH_NONE = 0,
	SNMP_AUTH_MD5,
	SNMP_AUTH_SHA,         /* SHA-1 */
	SNMP_AUTH_SHA224,
	SNMP_AUTH_SHA256,
	SNMP_AUTH_SHA384,
	SNMP_AUTH_SHA512
};

enum snmp_priv {
	SNMP_PRIV_NONE = 0,
	SNMP_PRIV_DES,
	SNMP_PRIV_AES,         /* AES-128-CFB */
	SNMP_PRIV_AES192,
	SNMP_PRIV_AES256
};

/* The longest digest (SHA-512) and the longest privacy key (AES-256). */
#define SNMP_USM_HASH_MAX 64
#define SNMP_USM_PRIV_KEY_MAX 32
#define SNMP_USM_ENGINE_MAX 32   /* snmpEngineID is 5..32 octets */
#define SNMP_USM_NAME_MAX 32     /* user and context names */
/* RFC 3414 11.2 asks for passwords of at least 8 characters; net-snmp
 * refuses shorter ones, and so do agents' createUser. */
#define SNMP_USM_PASSWORD_MIN 8
/* The time window of RFC 3414 3.2 step 7: 150 seconds. */
#define SNMP_USM_TIME_WINDOW 150

/* The user for one agent.  The caller fills the level, protocols, names
 * and the keys from snmp_usm_password_to_key; snmp_usm_localize fills
 * the localised keys once the engine ID is known. */
struct snmp_usm {
	enum snmp_level level;
	enum snmp_auth auth;
	enum snmp_priv priv;
	char user[SNMP_USM_NAME_MAX + 1];
	char context[SNMP_USM_NAME_MAX + 1];
	uint8_t auth_ku[SNMP_USM_HASH_MAX], priv_ku[SNMP_USM_HASH_MAX];
	/* learned from the agent (engine discovery, reports, replies) */
	int discovered;
	uint8_t engine_id[SNMP_USM_ENGINE_MAX];
	size_t engine_id_len;
	uint32_t boots, time;    /* the agent's, as last learned... */
	int64_t time_at;         /* ...at this moment (core/clock.h ms) */
	uint8_t auth_key[SNMP_USM_HASH_MAX];
	uint8_t priv_key[SNMP_USM_HASH_MAX * 2];  /* localised, extended */
	uint64_t salt;           /* the next privParameters */
};

/* Loads nettle, once: 0, or PK_ECOMM naming the library and the package
 * that ships it.  The functions below that hash or encrypt load it
 * themselves when first called and fail without it (a key of -1, a MAC
 * or cipher of nothing); a caller asks this first for the message. */
int snmp_usm_load(struct pk_err *err);

/* Protocol names as net-snmp spells them (-a MD5|SHA|SHA-224|SHA-256|
 * SHA-384|SHA-512, -x DES|AES|AES-128|AES-192|AES-256, -l noAuthNoPriv|
 * authNoPriv|authPriv), case-insensitive.  0, or -1 for an unknown name. */
int snmp_usm_auth_parse(const char *name, enum snmp_auth *out);
int snmp_usm_priv_parse(const char *name, enum snmp_priv *out);
int snmp_usm_level_parse(const char *name, enum snmp_level *out);
const char *snmp_usm_auth_name(enum snmp_auth a);
const char *snmp_usm_priv_name(enum snmp_priv p);
const char *snmp_usm_level_name(enum snmp_level l);

/* Digest length of the protocol's hash (16, 20, 28, 32, 48, 64), and the
 * length of its msgAuthenticationParameters (12, 12, 16, 24, 32, 48). */
size_t snmp_usm_hash_len(enum snmp_auth a);
size_t snmp_usm_mac_len(enum snmp_auth a);

/* RFC 3414 A.2: the password repeated over 1 MiB and hashed: Ku, of
 * snmp_usm_hash_len(a) bytes.  -1 when a is NONE or the password is
 * empty. */
int snmp_usm_password_to_key(enum snmp_auth a, const char *pw, size_t pwlen, uint8_t *ku);

/* Kul = H(Ku || engineID || Ku), of snmp_usm_hash_len(a) bytes. */
void snmp_usm_localize_key(enum snmp_auth a, const uint8_t *ku, const uint8_t *engine,
                           size_t elen, uint8_t *kul);

/* Fills u->auth_key and u->priv_key for u->engine_id from the Ku keys;
 * for AES-192/256 the privacy key is extended when the hash is shorter
 * (Kul || H(Kul)). */
void snmp_usm_localize(struct snmp_usm *u);

/* The truncated HMAC of msg (snmp_usm_mac_len(a) bytes into mac). */
void snmp_usm_hmac(enum snmp_auth a, const uint8_t *key, const uint8_t *msg, size_t n,
                   uint8_t *mac);

/* Encrypts n bytes of in (a scoped PDU) into out, which has room for n +
 * 8 bytes (DES pads to its block), with the agent's boots and time for
 * AES's IV; *outlen gets the length and priv_params the 8 bytes that go
 * into msgPrivacyParameters.  Moves u->salt.  0, or -1 when the cipher
 * refuses the key. */
int snmp_usm_encrypt(struct snmp_usm *u, uint32_t boots, uint32_t time, const uint8_t *in,
                     size_t n, uint8_t *out, size_t *outlen, uint8_t priv_params[8]);

/* Decrypts n bytes (room for n in out) with the sender's boots and time
 * and its 8-byte priv_params.  0, or -1 when the length or the
 * parameters cannot be right (DES: not a multiple of 8). */
int snmp_usm_decrypt(const struct snmp_usm *u, uint32_t boots, uint32_t time,
                     const uint8_t *priv_params, size_t pplen, const uint8_t *in, size_t n,
                     uint8_t *out);

/* The agent's snmpEngineTime now, from what was learned and when. */
uint32_t snmp_usm_time_now(const struct snmp_usm *u, int64_t now_ms);

/* Clears the keys. */
void snmp_usm_wipe(struct snmp_usm *u);

#endif
