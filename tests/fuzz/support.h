/* tests/fuzz/support.h - what the fuzz targets share: reading typed pieces
 * off the fuzzer's bytes, and logging one record built from them through a
 * formatter under test. */
#ifndef LT_FUZZ_SUPPORT_H
#define LT_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include <logtree/logtree.h>

/* libFuzzer's entry point, defined by each target. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_input {
    const uint8_t *at;
    size_t left;
};

/* The bytes up to the next NUL (or the end), as a new NUL-terminated string
 * (it may hold any other byte); free() it. */
char *fuzz_take_string(struct fuzz_input *in, size_t *len);

/* One byte, 0 at the end. */
uint8_t fuzz_take_byte(struct fuzz_input *in);

/* Log one record, its message and fields taken from @in, through a handler
 * with formatter @f; @check (may be NULL) sees each formatted line. */
void fuzz_log_through(lt_formatter *f, struct fuzz_input *in,
                      void (*check)(const char *line, size_t len));

#endif
