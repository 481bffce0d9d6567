/* logtree/record.h - reading a log record: its attributes and its fields.
 *
 * A record is what one logging call produced: when, where, how severe, the
 * message, and typed key-value fields. Formatters, handlers and filters get a
 * record for the length of one call; to keep it longer (a buffering handler),
 * copy it with lt_record_copy().
 *
 * Every attribute Python's LogRecord has is here under the same name, and
 * lt_record_attr() finds it by that name, which is how format strings such as
 * "%(asctime)s %(levelname)-8s %(message)s" reach them. */
#ifndef LOGTREE_RECORD_H
#define LOGTREE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <logtree/common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lt_record lt_record;

typedef enum lt_value_type {
    LT_VALUE_NULL = 0,
    LT_VALUE_BOOL,
    LT_VALUE_INT,    /* as.i */
    LT_VALUE_UINT,   /* as.u */
    LT_VALUE_DOUBLE, /* as.d */
    LT_VALUE_STRING  /* as.s: ptr and len, not necessarily NUL-terminated */
} lt_value_type;

/* One typed value: a record attribute or a field. Strings are borrowed from
 * whatever the value came from (the record, for lt_record_attr()). */
typedef struct lt_value {
    lt_value_type type;
    union {
        bool b;
        int64_t i;
        uint64_t u;
        double d;
        struct {
            const char *ptr;
            size_t len;
        } s;
    } as;
} lt_value;

/**
 * The name of the logger the record was logged on ("root" for the root).
 * Returns: a string valid as long as the record. Threads: any thread. Since: 0.1
 */
LT_API const char *lt_record_name(const lt_record *rec);

/**
 * The record's level number (levelno).
 * Returns: the level. Threads: any thread. Since: 0.1
 */
LT_API int lt_record_level(const lt_record *rec);

/**
 * The level's name (levelname): "INFO", a name from lt_add_level_name(), or
 * "Level N" for an unnamed level.
 * Returns: a string valid as long as the record. Threads: any thread. Since: 0.1
 */
LT_API const char *lt_record_levelname(const lt_record *rec);

/**
 * The formatted message (message): the printf result, or the text as given.
 * Returns: a NUL-terminated string valid as long as the record; its length is
 * lt_record_message_len() (the message may contain NUL bytes).
 * Threads: any thread. Since: 0.1
 */
LT_API const char *lt_record_message(const lt_record *rec);

/**
 * The length in bytes of lt_record_message().
 * Returns: the length. Threads: any thread. Since: 0.1
 */
LT_API size_t lt_record_message_len(const lt_record *rec);

/**
 * The time the record was created (created, msecs), from CLOCK_REALTIME.
 * Returns: the time. Threads: any thread. Since: 0.1
 */
LT_API struct timespec lt_record_time(const lt_record *rec);

/**
 * The call site: source file as compiled (pathname), line (lineno) and function
 * (funcName). Unknown parts are "(unknown file)", 0 and "(unknown function)".
 * Returns: strings valid as long as the record. Threads: any thread. Since: 0.1
 */
LT_API const char *lt_record_pathname(const lt_record *rec);
/** Returns: the line of the call site, 0 if unknown. Threads: any thread. Since: 0.1 */
LT_API int lt_record_lineno(const lt_record *rec);
/** Returns: the function of the call site. Threads: any thread. Since: 0.1 */
LT_API const char *lt_record_funcname(const lt_record *rec);

/**
 * The errno value given to LT_ERRNO() (errno), 0 for other records.
 * Returns: the errno value. Threads: any thread. Since: 0.1
 */
LT_API int lt_record_errno(const lt_record *rec);

/* A key and its typed value: what a record carries besides its attributes.
 * Keys are 1 to 64 bytes of letters (ASCII, or non-ASCII UTF-8), digits,
 * '_', '.' and '-', not starting with a digit, '.' or '-', and not the name of
 * a record attribute (so that "%(key)s", JSON and logfmt can all name them);
 * see LT_F() for what happens to other keys. */
typedef struct lt_field {
    const char *key;
    lt_value value;
} lt_field;

/* The most fields one record carries, those of the thread's context, of a
 * bound logger and of the call site together (after a later value of a key
 * replaced an earlier one). A record that would carry more keeps the first
 * LT_MAX_FIELDS - 1 and, last, the field "fields_dropped": the number of
 * fields left out (an int), which every formatter that shows fields prints.
 * The same holds for asynchronous records. */
#define LT_MAX_FIELDS 1024

/* A string with an explicit length (may hold NUL bytes), for LT_F():
 * LT_F("body", LT_STR(buf, n)). */
typedef struct lt_strn {
    const char *ptr;
    size_t len;
} lt_strn;

#define LT_STR(ptr, len) ((lt_strn){(ptr), (len)})

/* Value constructors, chosen by LT_VALUE() from the C type. */
static inline lt_value lt_value_int(long long i)
{
    lt_value v;
    v.type = LT_VALUE_INT;
    v.as.i = i;
    return v;
}

static inline lt_value lt_value_uint(unsigned long long u)
{
    lt_value v;
    v.type = LT_VALUE_UINT;
    v.as.u = u;
    return v;
}

static inline lt_value lt_value_double(double d)
{
    lt_value v;
    v.type = LT_VALUE_DOUBLE;
    v.as.d = d;
    return v;
}

static inline lt_value lt_value_bool(bool b)
{
    lt_value v;
    v.type = LT_VALUE_BOOL;
    v.as.b = b;
    return v;
}

/* A NULL string is the null value. */
static inline lt_value lt_value_str(const char *s)
{
    lt_value v;
    size_t n = 0;
    if (!s) {
        v.type = LT_VALUE_NULL;
        return v;
    }
    while (s[n])
        n++;
    v.type = LT_VALUE_STRING;
    v.as.s.ptr = s;
    v.as.s.len = n;
    return v;
}

static inline lt_value lt_value_strn(lt_strn s)
{
    lt_value v;
    if (!s.ptr) {
        v.type = LT_VALUE_NULL;
        return v;
    }
    v.type = LT_VALUE_STRING;
    v.as.s.ptr = s.ptr;
    v.as.s.len = s.len;
    return v;
}

static inline lt_value lt_value_null(const void *p)
{
    lt_value v;
    (void)p;
    v.type = LT_VALUE_NULL;
    return v;
}

#ifndef __cplusplus
/* The lt_value of a C value, its type chosen at compile time: every signed
 * and unsigned integer type, float and double, bool, char * and const char *
 * (NULL is the null value), lt_strn (LT_STR()), and NULL itself. Any other
 * type does not compile. Note that in C11 `true` is an int: write (bool)true,
 * or pass a bool variable, for a bool field. */
#define LT_VALUE(x)                                                                                \
    _Generic((x),                                                                                  \
        _Bool: lt_value_bool,                                                                      \
        char: lt_value_int,                                                                        \
        signed char: lt_value_int,                                                                 \
        short: lt_value_int,                                                                       \
        int: lt_value_int,                                                                         \
        long: lt_value_int,                                                                        \
        long long: lt_value_int,                                                                   \
        unsigned char: lt_value_uint,                                                              \
        unsigned short: lt_value_uint,                                                             \
        unsigned: lt_value_uint,                                                                   \
        unsigned long: lt_value_uint,                                                              \
        unsigned long long: lt_value_uint,                                                         \
        float: lt_value_double,                                                                    \
        double: lt_value_double,                                                                   \
        char *: lt_value_str,                                                                      \
        const char *: lt_value_str,                                                                \
        lt_strn: lt_value_strn,                                                                    \
        void *: lt_value_null)(x)

/* A field for a logging call, a bound logger or the thread's context:
 *
 *     LT_INFO(lg, "user %s logged in", name, LT_F("uid", uid), LT_F("ms", 12.5));
 *
 * Fields come after the printf arguments. The key must be a non-empty string
 * (an empty literal does not compile); a key outside the documented set, or
 * one that names a record attribute ("message", "levelname", ...), is kept
 * under "_" + the key, its invalid bytes replaced by '_', so that no value is
 * ever lost and no attribute ever hidden. Strings are borrowed for the length
 * of the call (records that outlive it copy them). */
#define LT_F(key, value)                                                                           \
    ((lt_field){(sizeof(char[sizeof(key) > 1 ? 1 : -1]) ? (key) : (key)), LT_VALUE(value)})
#endif

/* The attributes of every record, by number, for formatters that look them
 * up once when they are made and then per record without comparing strings.
 * The numbers are ABI: new attributes are only ever added at the end. */
typedef enum lt_attr {
    LT_ATTR_NAME = 0,        /* name: the logger's name (string) */
    LT_ATTR_MSG,             /* msg: the format string or text as given (string) */
    LT_ATTR_ARGS,            /* args: Python's tuple; always None here (null) */
    LT_ATTR_LEVELNAME,       /* levelname (string) */
    LT_ATTR_LEVELNO,         /* levelno (int) */
    LT_ATTR_PATHNAME,        /* pathname: __FILE__ of the call (string) */
    LT_ATTR_FILENAME,        /* filename: pathname's last component (string) */
    LT_ATTR_MODULE,          /* module: filename without its extension (string) */
    LT_ATTR_EXC_INFO,        /* exc_info: always None (null) */
    LT_ATTR_EXC_TEXT,        /* exc_text: always None (null) */
    LT_ATTR_STACK_INFO,      /* stack_info: always None (null) */
    LT_ATTR_LINENO,          /* lineno (int) */
    LT_ATTR_FUNCNAME,        /* funcName (string) */
    LT_ATTR_CREATED,         /* created: seconds since the epoch (double) */
    LT_ATTR_MSECS,           /* msecs: the millisecond part of created (double) */
    LT_ATTR_RELATIVECREATED, /* relativeCreated: ms since the library started (double) */
    LT_ATTR_THREAD,          /* thread: pthread_self() (uint) */
    LT_ATTR_THREADNAME,      /* threadName: "MainThread" or the thread's OS name (string) */
    LT_ATTR_PROCESS,         /* process: the process id (int) */
    LT_ATTR_PROCESSNAME,     /* processName: the program's name (string) */
    LT_ATTR_MESSAGE,         /* message: the formatted message (string) */
    LT_ATTR_ERRNO,           /* errno: from LT_ERRNO(), else 0 (int) */
    LT_ATTR_STRERROR,        /* strerror: its text, else "" (string) */
    LT_ATTR_COUNT
} lt_attr;

/**
 * The attribute called @name ("levelname"), by Python's spelling.
 * Returns: its lt_attr number, or -1 if no attribute has that name (`asctime`
 * has none: it belongs to formatters, see lt_format_time()).
 * Threads: any thread. Since: 0.1
 */
LT_API int lt_attr_from_name(const char *name);

/**
 * The Python name of attribute @attr.
 * Returns: a static string, or NULL if @attr is out of range.
 * Threads: any thread. Since: 0.1
 */
LT_API const char *lt_attr_name(int attr);

/**
 * The value of attribute @attr of @rec. Strings are borrowed from @rec and are
 * not necessarily NUL-terminated (module is a prefix of filename).
 * Returns: true and *@ret set, false if @attr is out of range.
 * Threads: any thread. Since: 0.1
 */
LT_API bool lt_record_get(const lt_record *rec, int attr, lt_value *ret);

/**
 * The field of @rec whose key is @key.
 * Returns: true and *@ret set (strings borrowed from @rec), false if none.
 * Threads: any thread. Since: 0.1
 */
LT_API bool lt_record_find_field(const lt_record *rec, const char *key, lt_value *ret);

/**
 * Look up an attribute or a field by name, as format strings do.
 *
 * The attributes (lt_attr) come first; any other name is looked up among the
 * record's fields (lt_record_find_field()).
 *
 * Returns: true and *@ret set if @name exists; false otherwise.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API bool lt_record_attr(const lt_record *rec, const char *name, lt_value *ret);

/**
 * Add the field @key = @value to @rec, replacing a field of the same key.
 *
 * For filters that enrich records (Python's filters may return a changed
 * record). @key and a string value are copied. Later filters, the handlers and
 * the formatters see the field; a key that is also an attribute name is
 * rejected, so that a field can never hide an attribute.
 *
 * Returns: 0, LT_EINVAL (NULL or empty @key, a key that names an attribute,
 * NULL @value), LT_ENOMEM.
 * Threads: the thread that was given @rec.
 * Since: 0.1
 */
LT_API int lt_record_set_field(lt_record *rec, const char *key, const lt_value *value);

/**
 * The number of fields of @rec.
 * Returns: the count. Threads: any thread. Since: 0.1
 */
LT_API size_t lt_record_field_count(const lt_record *rec);

/**
 * The @index-th field of @rec (0-based, in the order they were added).
 * Returns: true and *@key, *@value set (borrowed from @rec), false if @index is
 * out of range. Threads: any thread. Since: 0.1
 */
LT_API bool lt_record_field(const lt_record *rec, size_t index, const char **key, lt_value *value);

/**
 * Copy @rec, with all its strings and fields, into a record the caller owns.
 *
 * For handlers that keep records after emit returns (MemoryHandler).
 *
 * Returns: 0 and *@ret set, LT_ENOMEM, LT_EINVAL.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_record_copy(const lt_record *rec, lt_record **ret);

/**
 * Free a record made by lt_record_copy(). NULL is allowed and ignored.
 * Returns: nothing. Threads: any thread. Since: 0.1
 */
LT_API void lt_record_free(lt_record *rec);

#ifdef __cplusplus
}
#endif

#endif /* LOGTREE_RECORD_H */
