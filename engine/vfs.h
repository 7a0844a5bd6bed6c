/*
** vfs.h -- every file paysettle reads, through one door.
**
** Rule files and input files are read with vfs_read(), never with fopen()
** directly, for two reasons:
**  - recording: while a run is recorded (vfs_record_start), every file read
**    is kept with its exact bytes, so that the ledger can store what the run
**    actually used (content-addressed) rather than what is on disk later;
**  - replay: an auditor's reproduction installs the stored files
**    (vfs_replay_add) and the very same loaders then read them instead of
**    the disk, under the same paths. A replayed path that is not stored
**    does not exist, even if a file of that name is on disk.
**
** The state is per process (a batch command does one thing at a time).
*/
#ifndef PAYSETTLE_VFS_H
#define PAYSETTLE_VFS_H

#include <stdbool.h>
#include <stddef.h>

struct vfs_file {
  char *path;            /* as the loader asked for it */
  char *data;            /* the bytes (NUL-terminated for convenience) */
  size_t len;
};

/* Read the whole file at path (at most max_bytes). Returns 0, an errno
** value, or EFBIG. Same contract as util_read_file. */
int vfs_read(const char *path, size_t max_bytes, char **out, size_t *len);
/* True when path can be read (a stored file while replaying). */
bool vfs_exists(const char *path);

/* Start keeping a copy of every file read; vfs_record_take() hands the
** copies over (the caller frees them with vfs_files_free) and stops. A
** file read twice is kept once. */
void vfs_record_start(void);
struct vfs_file *vfs_record_take(size_t *n);

/* Replay: from now on, files come from the added copies only. Takes a copy
** of data. vfs_replay_stop() forgets them and goes back to the disk. */
void vfs_replay_add(const char *path, const char *data, size_t len);
void vfs_replay_stop(void);

/* Overlay: a file that exists only in memory, read before the disk or the
** replayed files (the ledger's year-to-date opening, presented to the
** loaders as a CSV file). Takes a copy. vfs_overlay_clear() removes all. */
void vfs_overlay_add(const char *path, const char *data, size_t len);
void vfs_overlay_clear(void);

void vfs_files_free(struct vfs_file *f, size_t n);

#endif
