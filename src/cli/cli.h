/* src/cli/cli.h - what the files of the logtree tool share. */
#ifndef LOGTREE_CLI_H
#define LOGTREE_CLI_H

#include <stdbool.h>

#include <logtree/logtree.h>

/* Read "KEY=VALUE" (changed in place) into @ret, which borrows from @text:
 * 42 is an integer, 1.5 a float, true/false a bool, anything else a string;
 * "KEY:s=VALUE" keeps VALUE a string. False if there is no '=' or the key
 * is empty. */
bool cli_parse_field(char *text, lt_field *ret);

/* Whether @text has the shape of a field (a key of the documented set, '='):
 * used to tell the field columns of a TSV line from its message. */
bool cli_looks_like_field(const char *text);

#endif
