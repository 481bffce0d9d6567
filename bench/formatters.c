/* bench/formatters.c - the formatters scenario: lt_formatter_format() alone
 * on one record carrying 5 fields (those an access log prints), nothing
 * written anywhere. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <logtree/logtree.h>

#include "bench.h"

static bool keep_record(void *userdata, lt_record *rec)
{
    lt_record **kept = userdata;

    if (!*kept)
        lt_record_copy(rec, kept);
    return false; /* kept: no handler needs it */
}

/* A record as a logging call makes it, with 5 fields. */
static lt_record *record_with_fields(void)
{
    lt_logger *lg = lt_get_logger("bench");
    lt_record *rec = NULL;
    lt_filter *filter;

    if (lt_callback_filter_new(&filter, keep_record, &rec, NULL) < 0)
        return NULL;
    lt_logger_add_filter(lg, filter);
    lt_logger_set_level(lg, LT_LEVEL_INFO);
    LT_INFO(lg, "request %d from %s took %.3f ms", 42, "127.0.0.1", 12.345,
            LT_F("remote_addr", "127.0.0.1"), LT_F("method", "GET"),
            LT_F("path", "/api/v1/users"), LT_F("status", 200), LT_F("bytes", 5120));
    lt_logger_remove_filter(lg, filter);
    lt_filter_unref(filter);
    return rec;
}

static int make_formatter(const char *variant, lt_formatter **f)
{
    if (strcmp(variant, "percent") == 0)
        return lt_percent_formatter_new(
            f,
            &(lt_percent_options){.format = "%(asctime)s %(levelname)s %(name)s %(message)s "
                                            "remote_addr=%(remote_addr)s method=%(method)s "
                                            "path=%(path)s status=%(status)s "
                                            "bytes=%(bytes)s"},
            NULL);
    if (strcmp(variant, "brace") == 0)
        return lt_percent_formatter_new(
            f,
            &(lt_percent_options){.format = "{asctime} {levelname} {name} {message} "
                                            "remote_addr={remote_addr} method={method} "
                                            "path={path} status={status} bytes={bytes}",
                                  .style = '{'},
            NULL);
    if (strcmp(variant, "json") == 0)
        return lt_json_formatter_new(f, NULL, NULL);
    if (strcmp(variant, "logfmt") == 0)
        return lt_logfmt_formatter_new(f, NULL, NULL);
    return lt_access_formatter_new(f, &(lt_access_options){.format = "%h %t \"%m %U\" %>s %b"},
                                   NULL);
}

void bench_measure_formatter(const char *variant, long count, struct bench_sample *s)
{
    lt_record *rec = record_with_fields();
    lt_formatter *f = NULL;
    lt_buf *out = NULL;
    uint64_t t0, t1;

    if (!rec || make_formatter(variant, &f) < 0 || lt_buf_new(&out) < 0) {
        fprintf(stderr, "logtree-bench: cannot set up the %s formatter\n", variant);
        return;
    }
    for (long i = 0; i < 1000; i++) { /* the buffer at its size */
        lt_buf_truncate(out, 0);
        lt_formatter_format(f, rec, out);
    }
    t0 = bench_clock_ns();
    for (long i = 0; i < count; i++) {
        lt_buf_truncate(out, 0);
        lt_formatter_format(f, rec, out);
    }
    t1 = bench_clock_ns();
    s->ok = lt_buf_len(out) > 0;
    s->fig[F_NS_PER_CALL] = (double)(t1 - t0) / (double)count;
    s->fig[F_RPS] = t1 > t0 ? (double)count * 1e9 / (double)(t1 - t0) : NAN;
    lt_formatter_unref(f);
    lt_buf_free(out);
    lt_record_free(rec);
    lt_shutdown();
}
