/*
 * report.h (private) - what the output formats share.
 *
 * Each format is one function taking the same arguments as
 * wm_report_write(); report.c only dispatches. The helpers here are the
 * pieces more than one format needs: a strict UTF-8 decoder (findings carry
 * whatever bytes the scanned files held) and jansson glue.
 */
#ifndef WM_LIB_REPORT_H
#define WM_LIB_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

#include "wm/buf.h"
#include "wm/report.h"

/* Returned in *cp by wm_report__utf8_next() for a byte that starts no valid sequence. */
#define WM_REPORT__INVALID UINT32_MAX

/**
 * Decode the code point at the start of `s` (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF).
 * @param cp the code point, or WM_REPORT__INVALID for a bad byte
 * @param s at least one byte
 * @param len bytes available (> 0)
 * @return bytes consumed: the sequence length, or 1 for a bad byte
 */
size_t wm_report__utf8_next(uint32_t *cp, const char *s, size_t len);

/**
 * Append `s` to `out` with every byte that is not valid UTF-8 replaced by
 * U+FFFD, so that JSON encoders and terminals never see broken sequences.
 * @return 0 or WM_ENOMEM
 */
int wm_report__utf8_clean(wm_buf *out, const char *s, size_t len);

/**
 * A JSON string of `s` made valid UTF-8 first (see wm_report__utf8_clean),
 * or JSON null when `s` is NULL.
 * @return a new reference, or NULL with WM_ENOMEM set
 */
json_t *wm_report__json_string(const char *s);

/**
 * Set `obj[key]`, taking the reference to `value` in every case (jansson's
 * *_set_new convention), so that a whole object can be built in one
 * expression and fail once.
 * @return 0, or WM_ENOMEM when `value` is NULL or the insertion failed
 */
int wm_report__json_set(json_t *obj, const char *key, json_t *value);

/** Append `value` to `array`, taking the reference. @return 0 or WM_ENOMEM */
int wm_report__json_append(json_t *array, json_t *value);

/**
 * Write `root` indented, keys in insertion order, with a final newline.
 * @return 0 or WM_ERROR (with a message) when writing failed
 */
int wm_report__json_dump(FILE *out, const json_t *root);

/* The formats; the arguments are those of wm_report_write(). */
int wm_report__text(FILE *out, const wm_scan_result *result, const wm_report_options *opts);
int wm_report__json(FILE *out, const wm_scan_result *result, const wm_report_options *opts);
int wm_report__sarif(FILE *out, const wm_scan_result *result, const wm_report_options *opts);
int wm_report__github(FILE *out, const wm_scan_result *result, const wm_report_options *opts);
int wm_report__html(FILE *out, const wm_scan_result *result, const wm_report_options *opts);

/* A metric value as reports show it ("71.3%", "12", "0.25"). */
void wm_report__format_value(char *out, size_t size, double v, const char *unit);

/**
 * Check a stream after writing: a full disk or a closed pipe shows up here.
 * @return 0 or WM_ERROR with a message naming `what`
 */
int wm_report__flush(FILE *out, const char *what);

#endif
