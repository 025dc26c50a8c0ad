/* SPDX-License-Identifier: MIT */
/*
 * cli_command - declarative options: a command is a table of option rows in groups. A row gives
 * an option's long name, short letter, argument name, help, default, kind and range; the getopt
 * strings (cli_args), the --help text (cli_help) and every value error (cli_value) are made
 * from the rows, so they cannot disagree with what is parsed. A man page or a completion script
 * walks the same tables: cli_command_groups() and the rows of each group.
 */
#ifndef RINGSCOPE_CLI_COMMAND_H
#define RINGSCOPE_CLI_COMMAND_H

#include <stddef.h>
#include <stdint.h>

enum cli_opt_kind {
	CLI_OPT_FLAG,	 /* no value: sets a bool to true */
	CLI_OPT_COUNT,	 /* a whole number in [min, max] */
	CLI_OPT_SIZE,	 /* bytes in [min, max]; K, M, G suffixes are powers of 1024 */
	CLI_OPT_TIME,	 /* a time in [min, max] ns: ns, us, ms or s, a bare number in @unit */
	CLI_OPT_DOUBLE,	 /* a number in [dmin, dmax] */
	CLI_OPT_ENUM,	 /* one of @names, stored as its index */
	CLI_OPT_CPUS,	 /* a list of online CPUs ("0,2", "0-3"): a struct cli_cpus */
	CLI_OPT_STRING,	 /* any text: a const char * into argv */
	CLI_OPT_PATH,	 /* a file name: not empty, shorter than PATH_MAX; a const char * */
	CLI_OPT_PRESET,	 /* no value: sets other rows of its group, @preset's name-value pairs */
	CLI_OPT_JSON,	 /* output, and every error of this parse already, as JSON */
	CLI_OPT_VERBOSE, /* cli_verbose() lines and libbpf's messages on stderr */
	CLI_OPT_HELP,	 /* print the generated help and do nothing else */
};

/* cli_opt - one option. A table of them ends with a row whose name is NULL. */
struct cli_opt {
	const char *name; /* the long name, without "--" */
	char letter;	  /* the short letter; 0: long only */
	const char *arg;  /* the value's name in the help ("N", "FILE"); NULL for a flag */
	const char *help; /* what it does; the range, names and default are added from the row */
	const char *def;  /* the default, written as a user would; applied before the arguments */
	enum cli_opt_kind kind;
	uint64_t min, max;   /* COUNT, SIZE, TIME (in ns): the range */
	const char *below;   /* what "--NAME VALUE" below the range is, said instead of the range */
	const char *above;   /* and above it */
	double dmin, dmax;   /* DOUBLE: the range */
	uint64_t unit;	     /* TIME: ns of a bare number */
	uint64_t store_unit; /* TIME: ns of one stored unit (0: 1 ns) */
	const char *const *names;  /* ENUM: the names in the enum's order, NULL-terminated */
	const char *const *preset; /* PRESET: "name", "value", ..., NULL: what it stands for */
	size_t off;		   /* where the value goes: an offset into the group's target */
	size_t width;		   /* its size in bytes: 1, 2, 4 or 8 (FLAG, numbers, ENUM) */
};

/* CLI_FIELD - where a row stores its value: @member of @type, the group's target. */
#define CLI_FIELD(type, member) .off = offsetof(type, member), .width = sizeof(((type *)0)->member)

/* The rows of -j/--json, -v/--verbose and -h/--help: the same letters in every command. */
#define CLI_ROW_JSON(text)                                                                         \
	{                                                                                          \
		.name = "json", .letter = 'j', .help = text, .kind = CLI_OPT_JSON                  \
	}
#define CLI_ROW_VERBOSE(text)                                                                      \
	{                                                                                          \
		.name = "verbose", .letter = 'v', .help = text, .kind = CLI_OPT_VERBOSE            \
	}
#define CLI_ROW_HELP                                                                               \
	{                                                                                          \
		.name = "help", .letter = 'h', .help = "this help", .kind = CLI_OPT_HELP           \
	}

/* cli_opt_group - rows under one heading of the help, writing into one target. */
struct cli_opt_group {
	const char *title;	    /* the heading ("measurement"); NULL ends a list of groups */
	const char *about;	    /* said after the heading, or NULL */
	const struct cli_opt *opts; /* the rows; NULL: none */
	unsigned int target;	    /* which of the parse's targets the rows write into */
	/* nested - groups made at run time (the probes'), standing in for this one; or NULL */
	const struct cli_opt_group *(*nested)(void);
};

/* cli_command - a command: its table and what its help says around the options. */
struct cli_command {
	const char *name;	 /* "run" */
	const char *summary;	 /* one line, for `ringscope --help` */
	const char *synopsis;	 /* the usage line after "ringscope NAME " */
	const char *description; /* paragraphs ("\n\n" between); lines indented by 2 kept */
	const struct cli_opt_group *groups;
	const char *operands; /* what the operands are, for errors ("the trace FILE"); NULL: none */
	unsigned int min_operands, max_operands;
	const char *epilogue; /* after the options, as description: notes, the exit status */
	int (*main)(int argc, char **argv);
};

#define CLI_GROUPS_MAX 16 /* groups of a command, nested ones counted */

/*
 * cli_command_groups - @cmd's groups, nested ones in place, into @out (at most CLI_GROUPS_MAX).
 * Returns how many.
 */
size_t cli_command_groups(const struct cli_command *cmd, const struct cli_opt_group **out);

#endif
