/*
 * syntax.h (private) - knobs of the syntax module for tests and the scan.
 */
#ifndef WM_LIB_SYNTAX_H
#define WM_LIB_SYNTAX_H

#include <stdint.h>
#include "wm/syntax.h"

/** Wall-clock bound of one parse: 5 s (see syntax.c). */
#define WM_SYNTAX_TIMEOUT_MICROS 5000000ULL

/** Unclosed brackets past which content is refused (see syntax.c). */
#define WM_SYNTAX_MAX_UNCLOSED 8192

/**
 * Change the parse timeout for every thread (0 restores the default).
 * For tests, which need a pathological parse to fail quickly.
 */
void wm_syntax__set_timeout(uint64_t micros);

#endif
