/*
** digest.h -- SHA-256 (OpenSSL's libcrypto), as lowercase hex.
**
** Used for the content address of every stored file, the rule set's
** digest, and the hash chain over closed months.
*/
#ifndef PAYSETTLE_DIGEST_H
#define PAYSETTLE_DIGEST_H

#include <stddef.h>

#define DIGEST_HEX_LEN 64      /* characters, without the NUL */

struct digest;                 /* an incremental SHA-256 */

/* A new digest, or NULL when libcrypto cannot make one (never in
** practice; callers treat it as out of memory). */
struct digest *digest_new(void);
void digest_add(struct digest *g, const void *data, size_t len);
void digest_add_str(struct digest *g, const char *s);   /* with its NUL */
/* Finish into hex (DIGEST_HEX_LEN + 1 bytes) and free g. */
void digest_finish(struct digest *g, char *hex);
void digest_free(struct digest *g);                      /* accepts NULL */

/* hex of SHA-256(data). */
void digest_hex(const void *data, size_t len, char *hex);

#endif
