/*
 * finding_codec.h (private) - findings as compact bytes, for ring records.
 */
#ifndef WM_LIB_FINDING_CODEC_H
#define WM_LIB_FINDING_CODEC_H

#include <stddef.h>

#include "wm/buf.h"
#include "wm/finding.h"

/**
 * Append the encoding of `finding` (its fix and edits included) to `out`.
 * @return 0 or WM_ENOMEM
 */
int wm_finding__encode(wm_buf *out, const wm_finding *finding);

/**
 * Decode what wm_finding__encode() wrote. `out` is overwritten (not freed)
 * and owns its strings afterwards.
 *
 * @param used set to the bytes consumed (may be NULL)
 * @return 0, WM_EPARSE (truncated or malformed; out is left empty), or WM_ENOMEM
 */
int wm_finding__decode(wm_finding *out, const void *data, size_t len, size_t *used);

#endif
