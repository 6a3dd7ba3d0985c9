#include "report/report.h"
int wm_report__html(FILE *out, const wm_scan_result *result, const wm_report_options *opts)
{
	(void)result;(void)opts;
	fputs("todo", out);
	return 0;
}
