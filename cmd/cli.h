/*
 * cli.h - the command line shared by wm-scan and the per-detector commands.
 */
#ifndef WM_CMD_CLI_H
#define WM_CMD_CLI_H

/** Exit codes (DESIGN.md 3.5). */
enum {
	WM_EXIT_PASS = 0,
	WM_EXIT_FINDINGS = 1,
	WM_EXIT_USAGE = 2,
	WM_EXIT_INTERNAL = 3
};

/**
 * Parse the options, run the scan, print the report.
 *
 * @param prog the program name for messages and --help
 * @param detector NULL for wm-scan (every detector), or the one detector a
 *        per-detector command runs ("drift")
 * @return the process exit code
 */
int wm_cli_main(int argc, char **argv, const char *prog, const char *detector);

#endif
