/*
 * registry.h - the table of built-in detectors.
 */
#ifndef WM_DETECTORS_REGISTRY_H
#define WM_DETECTORS_REGISTRY_H

#include <stddef.h>
#include <wm/wm.h>

/** The built-in detectors (static). */
extern const wm_detector *const wm_detectors_builtin[];
extern const size_t wm_detectors_builtin_count;

#endif
