/*
 * config.h (private) - the schema table behind wm/config.h.
 *
 * The schema is data, not code: config.c walks a YAML document against
 * these rows, so a new key is a new row in config_schema.c.
 */
#ifndef WM_LIB_CONFIG_H
#define WM_LIB_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "wm/config.h"

/** Most `*` levels one key pattern may have. */
#define WM_CONFIG__MAX_WILD 4
/** Most dotted levels one key pattern may have (bounds the document walk). */
#define WM_CONFIG__MAX_LEVELS 8

typedef enum wm_config__type {
	WM_CONFIG__BOOL,     /**< YAML 1.1 boolean, plain scalars only */
	WM_CONFIG__INT,      /**< decimal, within [min, max] */
	WM_CONFIG__STRING,   /**< any scalar */
	WM_CONFIG__ENUM,     /**< one of `choices` */
	WM_CONFIG__LIST,     /**< sequence of scalars (a null value is the empty list) */
	WM_CONFIG__SEVERITY, /**< off, info, warning, error, critical */
	WM_CONFIG__NUMBER    /**< decimal number (80, 71.5, -3), within [min, max] */
} wm_config__type;

/** One row of the schema. */
typedef struct wm_config__key {
	/** dotted key; `*` is a map level whose names the user chooses */
	const char *pattern;
	wm_config__type type;
	/** default, written as in the file; NULL: unset (lists: always empty) */
	const char *def;
	/** ENUM: NULL-terminated allowed values */
	const char *const *choices;
	/** INT and NUMBER: inclusive range */
	int64_t min, max;
} wm_config__key;

extern const wm_config__key wm_config__schema[];
extern const size_t wm_config__schema_len;

#endif
