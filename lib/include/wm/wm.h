/*
 * wm/wm.h - everything libwm offers, in one include.
 */
#ifndef WM_WM_H
#define WM_WM_H

#include "common.h"
#include "error.h"
#include "alloc.h"
#include "buf.h"
#include "finding.h"
#include "world.h"
#include "syntax.h"
#include "config.h"
#include "scan.h"
#include "fix.h"
#include "hook.h"
#include "baseline.h"
#include "quarantine.h"
#include "report.h"
#include "ring.h"
#include "board.h"
#include "pool.h"
#include "pattern.h"
#include "antibody.h"
#include "memory.h"
#include "blobcache.h"
#include "antibody_memory.h"
#include "health.h"

/** @return the version of libwm ("0.1.0"), static */
WM_EXTERN const char *wm_version(void);

#endif
