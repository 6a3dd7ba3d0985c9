/*
 * fix_edit.c - applying byte-range edits to content in memory.
 *
 * Pure and small on purpose: everything that writes files builds on this,
 * and tests pin its behaviour down exactly. Edits are taken in order of
 * their start byte (ties: insertions before replacements, then input
 * order), and an edit that overlaps one already taken is rejected rather
 * than guessed at: two fixes that touch the same bytes cannot both be
 * right.
 */
#include <stdlib.h>
#include <string.h>

#include "wm/alloc.h"
#include "wm/error.h"
#include "wm/fix.h"

typedef struct ordered {
	const wm_edit *edit;
	size_t index;
} ordered;

static int edit_cmp(const void *pa, const void *pb)
{
	const ordered *a = pa, *b = pb;
	uint32_t alen = a->edit->end_byte - a->edit->start_byte;
	uint32_t blen = b->edit->end_byte - b->edit->start_byte;

	if (a->edit->start_byte != b->edit->start_byte)
		return a->edit->start_byte < b->edit->start_byte ? -1 : 1;
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return (a->index > b->index) - (a->index < b->index);
}

int wm_fix_apply_edits(wm_buf *out, size_t *rejected_out, const char *data, size_t size,
	const wm_edit *const *edits, size_t nedits)
{
	ordered *order = NULL;
	size_t i, pos = 0, rejected = 0;
	bool have_last = false;
	uint32_t last_start = 0, last_end = 0;
	int error = 0;

	if (rejected_out)
		*rejected_out = 0;
	for (i = 0; i < nedits; i++) {
		if (edits[i]->start_byte > edits[i]->end_byte || edits[i]->end_byte > size) {
			error = wm_error_set(WM_EPARSE, "%s: edit %u..%u lies outside the file (%zu bytes)",
				edits[i]->path ? edits[i]->path : "?", edits[i]->start_byte,
				edits[i]->end_byte, size);
			goto done;
		}
	}
	if (nedits && !(order = wm_calloc(nedits, sizeof(*order)))) {
		error = WM_ENOMEM;
		goto done;
	}
	for (i = 0; i < nedits; i++) {
		order[i].edit = edits[i];
		order[i].index = i;
	}
	qsort(order, nedits, sizeof(*order), edit_cmp);

	wm_buf_clear(out);
	if ((error = wm_buf_grow(out, size)) < 0)
		goto done;
	for (i = 0; i < nedits; i++) {
		const wm_edit *e = order[i].edit;

		/* Touching ranges are fine; sharing a byte, or two insertions at one point, is not. */
		if (have_last && (e->start_byte < last_end ||
		    (e->start_byte == last_start && e->start_byte == last_end))) {
			rejected++;
			continue;
		}
		if ((error = wm_buf_put(out, data + pos, e->start_byte - pos)) < 0 ||
		    (error = wm_buf_puts(out, e->replacement ? e->replacement : "")) < 0)
			goto done;
		pos = e->end_byte;
		last_start = e->start_byte;
		last_end = e->end_byte;
		have_last = true;
	}
	if ((error = wm_buf_put(out, data + pos, size - pos)) < 0)
		goto done;
	if (rejected_out)
		*rejected_out = rejected;
done:
	wm_free(order);
	return error;
}
