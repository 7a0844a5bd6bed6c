/*
** vfs.c -- every file paysettle reads, through one door.
*/
#include "vfs.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct {
  bool recording;
  struct vfs_file *rec;
  size_t nrec, caprec;
  bool replaying;
  struct vfs_file *rep;
  size_t nrep, caprep;
  struct vfs_file *ovl;
  size_t novl, capovl;
} V;

static void keep(struct vfs_file **v, size_t *n, size_t *cap,
                 const char *path, const char *data, size_t len)
{
  struct vfs_file *f;
  for (size_t i = 0; i < *n; i++)
    if (strcmp((*v)[i].path, path) == 0) return;
  xgrow(v, cap, *n + 1, sizeof **v);
  f = &(*v)[(*n)++];
  f->path = xstrdup(path);
  f->data = xmalloc(len + 1);
  memcpy(f->data, data, len);
  f->data[len] = '\0';
  f->len = len;
}

static const struct vfs_file *find(const struct vfs_file *v, size_t n,
                                   const char *path)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(v[i].path, path) == 0) return &v[i];
  return NULL;
}

/* The in-memory file for path: an overlay, or a replayed copy. */
static const struct vfs_file *in_memory(const char *path)
{
  const struct vfs_file *f = find(V.ovl, V.novl, path);
  return f ? f : find(V.rep, V.nrep, path);
}

int vfs_read(const char *path, size_t max_bytes, char **out, size_t *len)
{
  int rc;
  const struct vfs_file *f = in_memory(path);
  if (f || V.replaying) {
    if (!f) return ENOENT;
    if (f->len > max_bytes) return EFBIG;
    *out = xmalloc(f->len + 1);
    memcpy(*out, f->data, f->len + 1);
    *len = f->len;
  } else {
    rc = util_read_file(path, max_bytes, out, len);
    if (rc) return rc;
  }
  if (V.recording) keep(&V.rec, &V.nrec, &V.caprec, path, *out, *len);
  return 0;
}

bool vfs_exists(const char *path)
{
  if (in_memory(path)) return true;
  return !V.replaying && access(path, R_OK) == 0;
}

void vfs_record_start(void)
{
  vfs_files_free(V.rec, V.nrec);
  V.rec = NULL;
  V.nrec = V.caprec = 0;
  V.recording = true;
}

struct vfs_file *vfs_record_take(size_t *n)
{
  struct vfs_file *f = V.rec;
  *n = V.nrec;
  V.rec = NULL;
  V.nrec = V.caprec = 0;
  V.recording = false;
  return f;
}

void vfs_replay_add(const char *path, const char *data, size_t len)
{
  V.replaying = true;
  keep(&V.rep, &V.nrep, &V.caprep, path, data, len);
}

void vfs_replay_stop(void)
{
  vfs_files_free(V.rep, V.nrep);
  V.rep = NULL;
  V.nrep = V.caprep = 0;
  V.replaying = false;
}

void vfs_overlay_add(const char *path, const char *data, size_t len)
{
  keep(&V.ovl, &V.novl, &V.capovl, path, data, len);
}

void vfs_overlay_clear(void)
{
  vfs_files_free(V.ovl, V.novl);
  V.ovl = NULL;
  V.novl = V.capovl = 0;
}

void vfs_files_free(struct vfs_file *f, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    free(f[i].path);
    free(f[i].data);
  }
  free(f);
}
