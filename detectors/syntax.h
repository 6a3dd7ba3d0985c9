/*
 * syntax.h - the syntax detector: files that do not parse (rule syntax-error).
 */
#ifndef WM_DETECTORS_SYNTAX_H
#define WM_DETECTORS_SYNTAX_H

#include <wm/wm.h>

/** Reports ERROR and MISSING nodes of every parsed target (static). */
extern const wm_detector wm_detector_syntax;

#endif
