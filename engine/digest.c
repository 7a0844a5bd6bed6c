/*
** digest.c -- SHA-256 through OpenSSL's EVP interface.
*/
#include "digest.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

struct digest {
  EVP_MD_CTX *ctx;
};

struct digest *digest_new(void)
{
  struct digest *g = xmalloc(sizeof *g);
  g->ctx = EVP_MD_CTX_new();
  if (!g->ctx || EVP_DigestInit_ex(g->ctx, EVP_sha256(), NULL) != 1) {
    digest_free(g);
    return NULL;
  }
  return g;
}

void digest_add(struct digest *g, const void *data, size_t len)
{
  ALWAYS_ASSERT(EVP_DigestUpdate(g->ctx, data, len) == 1);
}

void digest_add_str(struct digest *g, const char *s)
{
  digest_add(g, s, strlen(s) + 1);
}

void digest_finish(struct digest *g, char *hex)
{
  static const char HEX[] = "0123456789abcdef";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  ALWAYS_ASSERT(EVP_DigestFinal_ex(g->ctx, md, &n) == 1 && n == 32);
  for (unsigned int i = 0; i < n; i++) {
    hex[2 * i] = HEX[md[i] >> 4];
    hex[2 * i + 1] = HEX[md[i] & 15];
  }
  hex[2 * n] = '\0';
  digest_free(g);
}

void digest_free(struct digest *g)
{
  if (!g) return;
  EVP_MD_CTX_free(g->ctx);
  free(g);
}

void digest_hex(const void *data, size_t len, char *hex)
{
  struct digest *g = digest_new();
  ALWAYS_ASSERT(g != NULL);
  digest_add(g, data, len);
  digest_finish(g, hex);
}
