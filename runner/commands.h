/* SPDX-License-Identifier: MIT */
/* commands - the subcommands main() dispatches to; each parses its own options (argv[0] = name). */
#ifndef RINGSCOPE_COMMANDS_H
#define RINGSCOPE_COMMANDS_H

/* Each returns a process exit code: CLI_EXIT_OK, CLI_EXIT_ERROR or CLI_EXIT_USAGE. */
int cmd_run(int argc, char **argv);	     /* runner/cmd_run.c */
int cmd_session(int argc, char **argv);	     /* runner/cmd_session.c */
int cmd_http_session(int argc, char **argv); /* runner/cmd_http_session.c */
int cmd_doctor(int argc, char **argv);	     /* runner/cmd_doctor.c */
int cmd_analyze(int argc, char **argv);	     /* runner/cmd_analyze.c */
int cmd_export(int argc, char **argv);	     /* runner/cmd_export.c */
int cmd_compare(int argc, char **argv);	     /* runner/cmd_compare.c */
int cmd_report(int argc, char **argv);	     /* runner/cmd_report.c */

int cmd_forwarder(int argc, char **argv); /* runner/cmd_forwarder.c: a launched ring member */

#endif
