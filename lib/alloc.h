/*
 * alloc.h (private) - failure injection for the allocation wrapper.
 */
#ifndef WM_LIB_ALLOC_H
#define WM_LIB_ALLOC_H

#include "wm/alloc.h"

/**
 * Make the n-th allocation from now fail (1 = the next one); 0 turns
 * injection off. For tests only; not thread-safe.
 */
void wm_alloc__fail_after(unsigned long n);

#endif
