/*
 * wm-drift - the version drift detector alone, with wm-scan's options and formats.
 */
#include <stddef.h>

#include "cli.h"

int main(int argc, char **argv)
{
	return wm_cli_main(argc, argv, "wm-drift", "drift");
}
