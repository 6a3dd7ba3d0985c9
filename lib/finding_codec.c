/*
 * finding_codec.c - findings as compact bytes, for ring records.
 *
 * Workers hand findings to the aggregator through the ring, so a finding
 * must become bytes that need no pointer fix-up and no parser: little
 * endian u32 fields in a fixed order, each string as a u32 length (or
 * 0xffffffff for NULL) and its bytes. A typical finding is 100 to 200
 * bytes, two to four ring slots. Both ends are the same build of wm, so the
 * format carries no version; the decoder still checks every length, since
 * a worker may die mid-record and the bytes must never be trusted blindly.
 */
#include <string.h>

#include "finding_codec.h"
#include "wm/alloc.h"
#include "wm/error.h"

#define NULL_STRING 0xffffffffu

static int put_u32(wm_buf *out, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8),
		(unsigned char)(v >> 16), (unsigned char)(v >> 24) };

	return wm_buf_put(out, (const char *)b, 4);
}

static int put_str(wm_buf *out, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	int error;

	if (!s)
		return put_u32(out, NULL_STRING);
	if (n >= NULL_STRING)
		n = NULL_STRING - 1;
	if ((error = put_u32(out, (uint32_t)n)) < 0)
		return error;
	return wm_buf_put(out, s, n);
}

int wm_finding__encode(wm_buf *out, const wm_finding *f)
{
	size_t i;
	int error;

	if ((error = put_u32(out, (uint32_t)f->severity)) < 0 ||
	    (error = put_u32(out, f->line)) < 0 || (error = put_u32(out, f->column)) < 0 ||
	    (error = put_u32(out, f->end_line)) < 0 || (error = put_u32(out, f->end_column)) < 0 ||
	    (error = put_u32(out, f->start_byte)) < 0 || (error = put_u32(out, f->end_byte)) < 0 ||
	    (error = put_str(out, f->detector)) < 0 || (error = put_str(out, f->rule)) < 0 ||
	    (error = put_str(out, f->path)) < 0 || (error = put_str(out, f->message)) < 0 ||
	    (error = put_u32(out, f->fix ? (uint32_t)f->fix->nedits : NULL_STRING)) < 0)
		return error;
	if (!f->fix)
		return 0;
	if ((error = put_str(out, f->fix->description)) < 0)
		return error;
	for (i = 0; i < f->fix->nedits; i++) {
		const wm_edit *e = &f->fix->edits[i];

		if ((error = put_str(out, e->path)) < 0 || (error = put_u32(out, e->start_byte)) < 0 ||
		    (error = put_u32(out, e->end_byte)) < 0 || (error = put_str(out, e->replacement)) < 0)
			return error;
	}
	return 0;
}

typedef struct reader {
	const unsigned char *p;
	size_t left;
	int error;
} reader;

static uint32_t get_u32(reader *r)
{
	uint32_t v;

	if (r->left < 4) {
		r->error = WM_EPARSE;
		return 0;
	}
	v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
	r->p += 4;
	r->left -= 4;
	return v;
}

static char *get_str(reader *r)
{
	uint32_t n = get_u32(r);
	char *s;

	if (r->error || n == NULL_STRING)
		return NULL;
	if (n > r->left) {
		r->error = WM_EPARSE;
		return NULL;
	}
	if (!(s = wm_strndup((const char *)r->p, n))) {
		r->error = WM_ENOMEM;
		return NULL;
	}
	r->p += n;
	r->left -= n;
	return s;
}

int wm_finding__decode(wm_finding *out, const void *data, size_t len, size_t *used)
{
	wm_finding f = WM_FINDING_INIT;
	reader r = { data, len, 0 };
	uint32_t nedits, sev, i;
	int error = 0;

	sev = get_u32(&r);
	f.severity = sev < WM_SEV__COUNT ? (wm_severity)sev : WM_SEV_ERROR;
	f.line = get_u32(&r);
	f.column = get_u32(&r);
	f.end_line = get_u32(&r);
	f.end_column = get_u32(&r);
	f.start_byte = get_u32(&r);
	f.end_byte = get_u32(&r);
	f.detector = get_str(&r);
	f.rule = get_str(&r);
	f.path = get_str(&r);
	f.message = get_str(&r);
	nedits = get_u32(&r);
	if (!r.error && nedits != NULL_STRING) {
		/* Each edit takes at least 16 bytes: refuse counts the data cannot hold. */
		if (nedits > r.left / 16 + 1) {
			r.error = WM_EPARSE;
		} else if (!(f.fix = wm_calloc(1, sizeof(*f.fix))) ||
		           (nedits && !(f.fix->edits = wm_calloc(nedits, sizeof(*f.fix->edits))))) {
			r.error = WM_ENOMEM;
		} else {
			f.fix->description = get_str(&r);
			for (i = 0; i < nedits && !r.error; i++) {
				wm_edit *e = &f.fix->edits[i];

				f.fix->nedits = i + 1;
				e->path = get_str(&r);
				e->start_byte = get_u32(&r);
				e->end_byte = get_u32(&r);
				e->replacement = get_str(&r);
			}
		}
	}
	if (r.error) {
		error = r.error == WM_EPARSE ? wm_error_set(WM_EPARSE, "a truncated finding record") : WM_ENOMEM;
		wm_finding_clear(&f);
		*out = f;
		return error;
	}
	if (used)
		*used = len - r.left;
	*out = f;
	return 0;
}
