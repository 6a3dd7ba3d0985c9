/*
 * version.c - the library version, set by the build from CMake's project().
 */
#include "wm/wm.h"

const char *wm_version(void)
{
	return WM_VERSION_STRING;
}
