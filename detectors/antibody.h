/*
 * antibody.h - the antibody detector: the rule store applied to every target.
 */
#ifndef WM_DETECTORS_ANTIBODY_H
#define WM_DETECTORS_ANTIBODY_H

#include <wm/wm.h>

/** Applies built-in and repository antibodies (static). */
extern const wm_detector wm_detector_antibody;

#endif
