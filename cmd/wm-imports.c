/*
 * wm-imports - imports that resolve nowhere, names no longer there,
 * undeclared dependencies and DNA contract violations.
 */
#include <stddef.h>

#include "cli.h"

int main(int argc, char **argv)
{
	return wm_cli_main(argc, argv, "wm-imports", "imports");
}
