/* handlers/pickle.c - Python's SocketHandler.makePickle() in C: a 4-byte
 * big-endian length, then pickle protocol 1 of the record's __dict__.
 *
 * Protocol 1 because that is what makePickle() asks for, so any Python
 * receiver since 2.x reads it. Its traps: BININT ('J') is a signed 32-bit
 * int, so anything larger (thread ids are pthread_t) goes as the text form
 * 'L...L\n'; BINUNICODE ('X') must hold valid UTF-8, or pickle.loads()
 * raises. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net.h"

#define EMPTY_DICT '}'
#define MARK       '('
#define SETITEMS   'u'
#define STOP       '.'
#define NONE       'N'
#define BININT1    'K'
#define BININT2    'M'
#define BININT     'J'
#define LONG       'L'
#define BINFLOAT   'G'
#define BINUNICODE 'X'

static void put_le(lt_buf *b, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        lt_buf_putc(b, (char)(unsigned char)(v >> (8 * i)));
}

static void put_int(lt_buf *b, int64_t v)
{
    if (v >= 0 && v <= 0xff) {
        lt_buf_putc(b, BININT1);
        put_le(b, (uint64_t)v, 1);
    } else if (v >= 0 && v <= 0xffff) {
        lt_buf_putc(b, BININT2);
        put_le(b, (uint64_t)v, 2);
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
        lt_buf_putc(b, BININT);
        put_le(b, (uint64_t)(uint32_t)(int32_t)v, 4);
    } else {
        lt_buf_printf(b, "%c%lldL\n", LONG, (long long)v);
    }
}

static void put_uint(lt_buf *b, uint64_t v)
{
    if (v <= INT64_MAX)
        put_int(b, (int64_t)v);
    else
        lt_buf_printf(b, "%c%lluL\n", LONG, (unsigned long long)v);
}

static void put_float(lt_buf *b, double d)
{
    uint64_t bits;

    memcpy(&bits, &d, sizeof(bits));
    lt_buf_putc(b, BINFLOAT);
    for (int i = 7; i >= 0; i--)
        lt_buf_putc(b, (char)(unsigned char)(bits >> (8 * i)));
}

/* Text as the receiver can decode it: invalid UTF-8 becomes U+FFFD. */
static void put_str(lt_buf *b, lt_buf *tmp, const char *s, size_t len)
{
    lt_buf_truncate(tmp, 0);
    lt__utf8_append(tmp, s, len);
    lt_buf_putc(b, BINUNICODE);
    put_le(b, lt_buf_len(tmp), 4);
    lt_buf_append(b, lt_buf_data(tmp), lt_buf_len(tmp));
}

static void put_cstr(lt_buf *b, lt_buf *tmp, const char *s)
{
    put_str(b, tmp, s, strlen(s));
}

static void put_value(lt_buf *b, lt_buf *tmp, const lt_value *v)
{
    switch (v->type) {
    case LT_VALUE_BOOL: lt_buf_puts(b, v->as.b ? "I01\n" : "I00\n"); break;
    case LT_VALUE_INT: put_int(b, v->as.i); break;
    case LT_VALUE_UINT: put_uint(b, v->as.u); break;
    case LT_VALUE_DOUBLE: put_float(b, v->as.d); break;
    case LT_VALUE_STRING: put_str(b, tmp, v->as.s.ptr, v->as.s.len); break;
    default: lt_buf_putc(b, NONE); break;
    }
}

/* The order of a Python 3.11 LogRecord's __dict__; msg holds the message. */
static const int record_attrs[] = {
    LT_ATTR_NAME,     LT_ATTR_MSG,        LT_ATTR_ARGS,        LT_ATTR_LEVELNAME,
    LT_ATTR_LEVELNO,  LT_ATTR_PATHNAME,   LT_ATTR_FILENAME,    LT_ATTR_MODULE,
    LT_ATTR_EXC_INFO, LT_ATTR_EXC_TEXT,   LT_ATTR_STACK_INFO,  LT_ATTR_LINENO,
    LT_ATTR_FUNCNAME, LT_ATTR_CREATED,    LT_ATTR_MSECS,       LT_ATTR_RELATIVECREATED,
    LT_ATTR_THREAD,   LT_ATTR_THREADNAME, LT_ATTR_PROCESSNAME, LT_ATTR_PROCESS,
};

static void put_attr(lt_buf *b, lt_buf *tmp, const lt_record *rec, int attr)
{
    lt_value v = {.type = LT_VALUE_NULL};

    (void)lt_record_get(rec, attr == LT_ATTR_MSG ? LT_ATTR_MESSAGE : attr, &v);
    put_cstr(b, tmp, lt_attr_name(attr));
    put_value(b, tmp, &v);
}

static void put_fields(lt_buf *b, lt_buf *tmp, const lt_record *rec)
{
    size_t n = lt_record_field_count(rec);

    for (size_t i = 0; i < n; i++) {
        const char *key;
        lt_value v;

        if (lt_record_field(rec, i, &key, &v)) {
            put_cstr(b, tmp, key);
            put_value(b, tmp, &v);
        }
    }
}

/* The length prefix, then the pickle built in @body. */
static void frame(lt_buf *out, lt_buf *body)
{
    uint32_t len = (uint32_t)lt_buf_len(body);

    for (int i = 3; i >= 0; i--)
        lt_buf_putc(out, (char)(unsigned char)(len >> (8 * i)));
    lt_buf_append(out, lt_buf_data(body), lt_buf_len(body));
}

static int with_buffers(lt_buf **body, lt_buf **tmp)
{
    if (lt_buf_new(body) < 0)
        return LT_ENOMEM;
    if (lt_buf_new(tmp) < 0) {
        lt_buf_free(*body);
        return LT_ENOMEM;
    }
    return 0;
}

int lt__pickle_record(lt_buf *out, const lt_record *rec)
{
    lt_buf *b, *tmp;
    int r;

    if (with_buffers(&b, &tmp) < 0)
        return LT_ENOMEM;
    lt_buf_putc(b, EMPTY_DICT);
    lt_buf_putc(b, MARK);
    for (size_t i = 0; i < sizeof(record_attrs) / sizeof(record_attrs[0]); i++)
        put_attr(b, tmp, rec, record_attrs[i]);
    if (lt_record_errno(rec) != 0) {
        put_attr(b, tmp, rec, LT_ATTR_ERRNO);
        put_attr(b, tmp, rec, LT_ATTR_STRERROR);
    }
    put_fields(b, tmp, rec);
    lt_buf_putc(b, SETITEMS);
    lt_buf_putc(b, STOP);
    frame(out, b);
    r = lt_buf_error(b) ? lt_buf_error(b) : lt_buf_error(tmp) ? lt_buf_error(tmp) : lt_buf_error(out);
    lt_buf_free(b);
    lt_buf_free(tmp);
    return r;
}

static void put_item(lt_buf *b, lt_buf *tmp, const char *key, lt_value v)
{
    put_cstr(b, tmp, key);
    put_value(b, tmp, &v);
}

static lt_value str_value(const char *s)
{
    lt_value v = {.type = LT_VALUE_STRING};

    v.as.s.ptr = s;
    v.as.s.len = strlen(s);
    return v;
}

static lt_value num_value(double d)
{
    lt_value v = {.type = LT_VALUE_DOUBLE};

    v.as.d = d;
    return v;
}

static lt_value int_value(int64_t i)
{
    lt_value v = {.type = LT_VALUE_INT};

    v.as.i = i;
    return v;
}

static lt_value uint_value(uint64_t u)
{
    lt_value v = {.type = LT_VALUE_UINT};

    v.as.u = u;
    return v;
}

/* thread, threadName, processName, process: the record's, else this process's. */
static void put_origin(lt_buf *b, lt_buf *tmp, const lt_record *rec)
{
    if (rec) {
        put_attr(b, tmp, rec, LT_ATTR_THREAD);
        put_attr(b, tmp, rec, LT_ATTR_THREADNAME);
        put_attr(b, tmp, rec, LT_ATTR_PROCESSNAME);
        put_attr(b, tmp, rec, LT_ATTR_PROCESS);
        return;
    }
    /* A flush has no record: the flushing thread stands in, so that a
     * receiver formatting %(thread)d does not fail on None. */
    put_item(b, tmp, "thread", uint_value((uint64_t)pthread_self()));
    put_item(b, tmp, "threadName", (lt_value){.type = LT_VALUE_NULL});
    put_item(b, tmp, "processName", (lt_value){.type = LT_VALUE_NULL});
    put_item(b, tmp, "process", int_value((int64_t)getpid()));
}

void lt__pickle_notice(lt_buf *out, uint64_t dropped, const lt_record *rec)
{
    char msg[96];
    struct timespec now;
    double created;
    lt_buf *b, *tmp;

    if (with_buffers(&b, &tmp) < 0)
        return;
    clock_gettime(CLOCK_REALTIME, &now);
    created = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
    snprintf(msg, sizeof(msg), "%llu records dropped", (unsigned long long)dropped);
    lt_buf_putc(b, EMPTY_DICT);
    lt_buf_putc(b, MARK);
    put_item(b, tmp, "name", str_value("logtree"));
    put_item(b, tmp, "msg", str_value(msg));
    put_item(b, tmp, "args", (lt_value){.type = LT_VALUE_NULL});
    put_item(b, tmp, "levelname", str_value("WARNING"));
    put_item(b, tmp, "levelno", int_value(LT_LEVEL_WARNING));
    put_item(b, tmp, "pathname", str_value(""));
    put_item(b, tmp, "filename", str_value(""));
    put_item(b, tmp, "module", str_value(""));
    put_item(b, tmp, "exc_info", (lt_value){.type = LT_VALUE_NULL});
    put_item(b, tmp, "exc_text", (lt_value){.type = LT_VALUE_NULL});
    put_item(b, tmp, "stack_info", (lt_value){.type = LT_VALUE_NULL});
    put_item(b, tmp, "lineno", int_value(0));
    put_item(b, tmp, "funcName", str_value(""));
    put_item(b, tmp, "created", num_value(created));
    put_item(b, tmp, "msecs", num_value((double)(now.tv_nsec / 1000000)));
    put_item(b, tmp, "relativeCreated", num_value(0.0));
    put_origin(b, tmp, rec);
    put_item(b, tmp, "dropped", int_value((int64_t)dropped));
    lt_buf_putc(b, SETITEMS);
    lt_buf_putc(b, STOP);
    frame(out, b);
    lt_buf_free(b);
    lt_buf_free(tmp);
}
