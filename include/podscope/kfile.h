#ifndef PODSCOPE_KFILE_H
#define PODSCOPE_KFILE_H

#include <stddef.h>

#include "podscope/err.h"

/*
 * The one reader for the files podscope is given: kubeconfigs and the files
 * they name (certificates, keys, token files), in-cluster credentials, the
 * dashboard's config.yaml and themes. Each may be hostile or a mistake, so:
 *
 * - it is opened without blocking and must be a regular file: a FIFO would
 *   block forever and a device (/dev/zero) never ends; a directory is
 *   refused as EISDIR ("Is a directory");
 * - it may hold at most max bytes: refused from its size before a byte is
 *   read, and again if it grows while being read (files in /proc say 0);
 * - it is read in one pass into a buffer sized from the file, so the cost
 *   is linear in its size;
 * - what was read is overwritten before it is freed on every error path,
 *   as it may be a key.
 */

#define KFILE_MAX_KUBECONFIG (32u << 20) /* a kubeconfig */
#define KFILE_MAX_NAMED (4u << 20)       /* a file a kubeconfig names, in-cluster files */
#define KFILE_MAX_UI (1u << 20)          /* config.yaml, a theme */

/*
 * The whole file, NUL-terminated (heap; *len without the NUL). On failure
 * NULL, err set (PERR_CONFIG) to "cannot read " + the description made from
 * fmt + ": " + why, and errno kept for the caller: ENOENT and the like from
 * open(2), EISDIR, EINVAL for a file that is not a regular one, EFBIG for
 * one larger than max. Example: kfile_read(p, KFILE_MAX_UI, &len, err,
 * "theme %s", p) -> "cannot read theme /t.yaml: not a regular file (a FIFO)".
 */
char *kfile_read(const char *path, size_t max, size_t *len, struct perr *err, const char *fmt,
		 ...) __attribute__((format(printf, 5, 6)));

#endif
