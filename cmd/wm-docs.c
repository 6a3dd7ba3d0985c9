/*
 * wm-docs - run the docs detector alone: missing documentation, documented
 * parameters that do not exist, stale doc comments, broken Markdown links;
 * `--coverage` adds the coverage table.
 */
#include <stddef.h>

#include "cli.h"

int main(int argc, char **argv)
{
	return wm_cli_main(argc, argv, "wm-docs", "docs");
}
