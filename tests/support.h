/* tests/support.h - helpers shared by the Criterion tests. */
#ifndef LOGTREE_TESTS_SUPPORT_H
#define LOGTREE_TESTS_SUPPORT_H

#include <stddef.h>

#include <logtree/logtree.h>

/* A handler that keeps what its formatter rendered, one string per record,
 * so that tests can assert on the exact bytes. */
typedef struct capture capture;

/* A capture handler (one reference, the test's) and its store. */
lt_handler *capture_new(capture **ret);
size_t capture_count(capture *c);
/* The @i-th rendered record, NUL-terminated; "" if out of range. */
const char *capture_line(capture *c, size_t i);
/* All records joined with '\n' after each (a static buffer per call). */
const char *capture_text(capture *c);

/* Format @rec-like input through @f: log @msg at @level on logger @name with a
 * capture handler that uses @f, and return the rendered text (static). */
const char *render(lt_formatter *f, const char *name, int level, const char *msg);

/* The number of open file descriptors of this process. */
int open_fd_count(void);

/* Read a whole file into a static buffer ("" if it cannot be read). */
const char *slurp(const char *path);

/* A fresh empty directory for the test, made the working directory. */
const char *enter_temp_dir(void);

/* Where tests/parsers/setup.sh put the npm parsers (node_modules/logfmt),
 * or NULL. LT_PARSERS_DIR, else the build tree's parsers/. */
const char *parsers_dir(void);

/* A peer the test needs is missing: the test fails, or is skipped with
 * LT_ALLOW_MISSING_PARSERS=1. Does not return. */
void parser_missing(const char *what);

#endif
