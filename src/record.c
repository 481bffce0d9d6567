/* src/record.c - reading records, adding fields, and copying them. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "internal.h"
#include "sys.h"

static const char *const attr_names[LT_ATTR_COUNT] = {
    [LT_ATTR_NAME] = "name",
    [LT_ATTR_MSG] = "msg",
    [LT_ATTR_ARGS] = "args",
    [LT_ATTR_LEVELNAME] = "levelname",
    [LT_ATTR_LEVELNO] = "levelno",
    [LT_ATTR_PATHNAME] = "pathname",
    [LT_ATTR_FILENAME] = "filename",
    [LT_ATTR_MODULE] = "module",
    [LT_ATTR_EXC_INFO] = "exc_info",
    [LT_ATTR_EXC_TEXT] = "exc_text",
    [LT_ATTR_STACK_INFO] = "stack_info",
    [LT_ATTR_LINENO] = "lineno",
    [LT_ATTR_FUNCNAME] = "funcName",
    [LT_ATTR_CREATED] = "created",
    [LT_ATTR_MSECS] = "msecs",
    [LT_ATTR_RELATIVECREATED] = "relativeCreated",
    [LT_ATTR_THREAD] = "thread",
    [LT_ATTR_THREADNAME] = "threadName",
    [LT_ATTR_PROCESS] = "process",
    [LT_ATTR_PROCESSNAME] = "processName",
    [LT_ATTR_MESSAGE] = "message",
    [LT_ATTR_ERRNO] = "errno",
    [LT_ATTR_STRERROR] = "strerror",
};

int lt_attr_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < LT_ATTR_COUNT; i++)
        if (strcmp(attr_names[i], name) == 0)
            return i;
    return -1;
}

const char *lt_attr_name(int attr)
{
    return attr >= 0 && attr < LT_ATTR_COUNT ? attr_names[attr] : NULL;
}

/* Python's makeRecord refuses extra keys that would overwrite these. */
bool lt__is_record_attr(const char *name)
{
    return lt_attr_from_name(name) >= 0 || strcmp(name, "asctime") == 0 ||
           strcmp(name, "taskName") == 0;
}

const char *lt_record_name(const lt_record *rec)
{
    return rec->name;
}

int lt_record_level(const lt_record *rec)
{
    return rec->levelno;
}

const char *lt_record_levelname(const lt_record *rec)
{
    return rec->levelname;
}

const char *lt_record_message(const lt_record *rec)
{
    return rec->message;
}

size_t lt_record_message_len(const lt_record *rec)
{
    return rec->message_len;
}

struct timespec lt_record_time(const lt_record *rec)
{
    return rec->created;
}

const char *lt_record_pathname(const lt_record *rec)
{
    return rec->pathname;
}

int lt_record_lineno(const lt_record *rec)
{
    return rec->lineno;
}

const char *lt_record_funcname(const lt_record *rec)
{
    return rec->funcname;
}

int lt_record_errno(const lt_record *rec)
{
    return rec->errnum;
}

/* Setters, not functions returning an lt_value: a returned value is built on
 * the stack and copied, which costs a store-forwarding stall per call (the
 * percent formatter asks for several attributes per record). */
static void set_str(lt_value *v, const char *s, size_t len)
{
    v->type = LT_VALUE_STRING;
    v->as.s.ptr = s;
    v->as.s.len = len;
}

static void set_cstr(lt_value *v, const char *s)
{
    set_str(v, s, strlen(s));
}

static void set_int(lt_value *v, int64_t i)
{
    v->type = LT_VALUE_INT;
    v->as.i = i;
}

static void set_double(lt_value *v, double d)
{
    v->type = LT_VALUE_DOUBLE;
    v->as.d = d;
}

static const char *filename_of(const char *pathname)
{
    const char *slash = strrchr(pathname, '/');

    return slash ? slash + 1 : pathname;
}

/* os.path.splitext: the extension starts at the last dot that is not part of
 * the leading dots (".bashrc" has none). */
static size_t module_len(const char *filename)
{
    size_t len = strlen(filename), lead = 0;
    const char *dot;

    while (filename[lead] == '.')
        lead++;
    dot = strrchr(filename + lead, '.');
    return dot ? (size_t)(dot - filename) : len;
}

static double seconds_of(struct timespec ts)
{
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double relative_ms(struct timespec ts)
{
    struct timespec start = lt__start_time();

    return (double)(ts.tv_sec - start.tv_sec) * 1e3 + (double)(ts.tv_nsec - start.tv_nsec) / 1e6;
}

bool lt__record_message_plain(const lt_record *rec)
{
    return rec->message_plain;
}

bool lt_record_get(const lt_record *rec, int attr, lt_value *ret)
{
    const char *filename;

    switch (attr) {
    case LT_ATTR_NAME: set_str(ret, rec->name, rec->name_len); break;
    case LT_ATTR_MSG: set_cstr(ret, rec->msg); break;
    case LT_ATTR_LEVELNAME: set_str(ret, rec->levelname, rec->levelname_len); break;
    case LT_ATTR_LEVELNO: set_int(ret, rec->levelno); break;
    case LT_ATTR_PATHNAME: set_cstr(ret, rec->pathname); break;
    case LT_ATTR_FILENAME: set_cstr(ret, filename_of(rec->pathname)); break;
    case LT_ATTR_MODULE:
        filename = filename_of(rec->pathname);
        set_str(ret, filename, module_len(filename));
        break;
    case LT_ATTR_LINENO: set_int(ret, rec->lineno); break;
    case LT_ATTR_FUNCNAME: set_cstr(ret, rec->funcname); break;
    case LT_ATTR_CREATED: set_double(ret, seconds_of(rec->created)); break;
    case LT_ATTR_MSECS: set_double(ret, (double)(rec->created.tv_nsec / 1000000)); break;
    case LT_ATTR_RELATIVECREATED: set_double(ret, relative_ms(rec->created)); break;
    case LT_ATTR_THREAD:
        ret->type = LT_VALUE_UINT;
        ret->as.u = rec->thread;
        break;
    case LT_ATTR_THREADNAME: set_cstr(ret, rec->thread_name); break;
    case LT_ATTR_PROCESS: set_int(ret, rec->process); break;
    case LT_ATTR_PROCESSNAME: set_cstr(ret, rec->process_name); break;
    case LT_ATTR_MESSAGE: set_str(ret, rec->message, rec->message_len); break;
    case LT_ATTR_ERRNO: set_int(ret, rec->errnum); break;
    case LT_ATTR_STRERROR: set_cstr(ret, rec->strerror); break;
    case LT_ATTR_ARGS:
    case LT_ATTR_EXC_INFO:
    case LT_ATTR_EXC_TEXT:
    case LT_ATTR_STACK_INFO: ret->type = LT_VALUE_NULL; break;
    default: return false;
    }
    return true;
}

static lt_field *find_field(const lt_record *rec, const char *key)
{
    for (size_t i = 0; i < rec->nfields; i++)
        if (strcmp(rec->fields[i].key, key) == 0)
            return &rec->fields[i];
    return NULL;
}

bool lt_record_find_field(const lt_record *rec, const char *key, lt_value *ret)
{
    const lt_field *f = key ? find_field(rec, key) : NULL;

    if (f)
        *ret = f->value;
    return f != NULL;
}

bool lt_record_attr(const lt_record *rec, const char *name, lt_value *ret)
{
    int attr = lt_attr_from_name(name);

    if (attr >= 0)
        return lt_record_get(rec, attr, ret);
    return lt_record_find_field(rec, name, ret);
}

size_t lt_record_field_count(const lt_record *rec)
{
    return rec->nfields;
}

bool lt_record_field(const lt_record *rec, size_t index, const char **key, lt_value *value)
{
    if (index >= rec->nfields)
        return false;
    *key = rec->fields[index].key;
    *value = rec->fields[index].value;
    return true;
}

/* A copy of @n fields in a block the record frees. */
static lt_field *own_copy(lt_record *rec, const lt_field *src, size_t n)
{
    lt_field *copy = lt__fields_dup(src, n);

    if (copy)
        lt__owned_add(&rec->owned, copy);
    return copy;
}

/* The record's own array, with room for one more field. */
static bool grow_fields(lt_record *rec)
{
    size_t cap = rec->nfields + 4 + rec->nfields / 2;
    lt_field *fields;

    if (rec->fields_cap > rec->nfields)
        return true;
    fields = rec->fields_cap ? lt__realloc(rec->fields, cap * sizeof(*fields))
                             : lt__malloc(cap * sizeof(*fields));
    if (!fields)
        return false;
    if (!rec->fields_cap && rec->nfields)
        memcpy(fields, rec->fields, rec->nfields * sizeof(*fields));
    rec->fields = fields;
    rec->fields_cap = cap;
    return true;
}

int lt_record_set_field(lt_record *rec, const char *key, const lt_value *value)
{
    lt_field f, *copy;

    LT__RETURN_IF(!rec || !key || !value || !lt__key_valid(key), LT_EINVAL);
    f.key = key;
    f.value = *value;
    if (!grow_fields(rec) || !(copy = own_copy(rec, &f, 1)))
        return LT_ENOMEM;
    lt__fields_merge(rec->fields, &rec->nfields, copy, 1);
    return 0;
}

void lt__record_release(lt_record *rec)
{
    if (rec->fields_cap)
        free(rec->fields);
    rec->fields = NULL;
    rec->nfields = rec->fields_cap = 0;
    lt__owned_free(&rec->owned);
}

/* Copy the strings a record borrows into one block: one allocation, freed
 * with the record. */
static char *stash(char **cursor, const char *s, size_t len)
{
    char *at = *cursor;

    memcpy(at, s, len);
    at[len] = '\0';
    *cursor += len + 1;
    return at;
}

static size_t strings_size(const lt_record *rec)
{
    const char *strs[] = {rec->name,     rec->levelname, rec->pathname,    rec->funcname,
                          rec->msg,      rec->strerror,  rec->thread_name, rec->process_name};
    size_t total = sizeof(struct lt__owned) + rec->message_len + 1;

    for (size_t i = 0; i < LT__ARRAY_SIZE(strs); i++)
        total += strlen(strs[i]) + 1;
    return total;
}

static void stash_strings(lt_record *copy, const lt_record *rec, char *cursor)
{
    copy->name = stash(&cursor, rec->name, rec->name_len);
    copy->levelname = stash(&cursor, rec->levelname, rec->levelname_len);
    copy->pathname = stash(&cursor, rec->pathname, strlen(rec->pathname));
    copy->funcname = stash(&cursor, rec->funcname, strlen(rec->funcname));
    copy->msg = stash(&cursor, rec->msg, strlen(rec->msg));
    copy->strerror = stash(&cursor, rec->strerror, strlen(rec->strerror));
    copy->thread_name = stash(&cursor, rec->thread_name, strlen(rec->thread_name));
    copy->process_name = stash(&cursor, rec->process_name, strlen(rec->process_name));
    copy->message = stash(&cursor, rec->message, rec->message_len);
}

int lt_record_copy(const lt_record *rec, lt_record **ret)
{
    struct lt__owned *strings;
    lt_record *copy;

    LT__RETURN_IF(!rec || !ret, LT_EINVAL);
    copy = lt__malloc(sizeof(*copy));
    strings = lt__malloc(strings_size(rec));
    if (!copy || !strings) {
        free(copy);
        free(strings);
        return LT_ENOMEM;
    }
    *copy = *rec;
    strings->next = NULL;
    copy->owned = strings;
    copy->fields_cap = 0;
    stash_strings(copy, rec, (char *)(strings + 1));
    copy->fields = NULL;
    if (rec->nfields && !(copy->fields = own_copy(copy, rec->fields, rec->nfields))) {
        lt_record_free(copy);
        return LT_ENOMEM;
    }
    *ret = copy;
    return 0;
}

void lt_record_free(lt_record *rec)
{
    if (!rec)
        return;
    lt__record_release(rec);
    free(rec);
}
