/*
 * health.h - the health detector: metrics held against their balance ranges.
 */
#ifndef WM_DETECTORS_HEALTH_H
#define WM_DETECTORS_HEALTH_H

#include <wm/wm.h>

/** In --diff runs, checks `health.<metric>.*` ranges (static). */
extern const wm_detector wm_detector_health;

#endif
