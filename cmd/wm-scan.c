/*
 * wm-scan - run the gate: every enabled detector over the chosen targets.
 */
#include <stddef.h>

#include "cli.h"

int main(int argc, char **argv)
{
	return wm_cli_main(argc, argv, "wm-scan", NULL);
}
