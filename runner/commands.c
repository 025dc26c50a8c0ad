// SPDX-License-Identifier: MIT
/* commands - the table of ringscope's commands, for main's dispatch and for its help. */
#include "runner/commands.h"

#include <stddef.h>

const struct cli_command *const ringscope_commands[] = {
    &session_command, &http_session_command, &run_command,    &analyze_command,	  &export_command,
    &compare_command, &report_command,	     &doctor_command, &forwarder_command, NULL,
};
