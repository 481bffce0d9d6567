/* src/record.c - reading records, adding fields, and copying them. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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

static lt_value str_value(const char *s, size_t len)
{
    lt_value v = {.type = LT_VALUE_STRING};

    v.as.s.ptr = s;
    v.as.s.len = len;
    return v;
}

static lt_value cstr_value(const char *s)
{
    return str_value(s, strlen(s));
}

static lt_value int_value(int64_t i)
{
    lt_value v = {.type = LT_VALUE_INT};

    v.as.i = i;
    return v;
}

static lt_value double_value(double d)
{
    lt_value v = {.type = LT_VALUE_DOUBLE};

    v.as.d = d;
    return v;
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

bool lt_record_get(const lt_record *rec, int attr, lt_value *ret)
{
    const char *filename;

    switch (attr) {
    case LT_ATTR_NAME: *ret = cstr_value(rec->name); break;
    case LT_ATTR_MSG: *ret = cstr_value(rec->msg); break;
    case LT_ATTR_LEVELNAME: *ret = cstr_value(rec->levelname); break;
    case LT_ATTR_LEVELNO: *ret = int_value(rec->levelno); break;
    case LT_ATTR_PATHNAME: *ret = cstr_value(rec->pathname); break;
    case LT_ATTR_FILENAME: *ret = cstr_value(filename_of(rec->pathname)); break;
    case LT_ATTR_MODULE:
        filename = filename_of(rec->pathname);
        *ret = str_value(filename, module_len(filename));
        break;
    case LT_ATTR_LINENO: *ret = int_value(rec->lineno); break;
    case LT_ATTR_FUNCNAME: *ret = cstr_value(rec->funcname); break;
    case LT_ATTR_CREATED: *ret = double_value(seconds_of(rec->created)); break;
    case LT_ATTR_MSECS: *ret = double_value((double)(rec->created.tv_nsec / 1000000)); break;
    case LT_ATTR_RELATIVECREATED: *ret = double_value(relative_ms(rec->created)); break;
    case LT_ATTR_THREAD:
        ret->type = LT_VALUE_UINT;
        ret->as.u = rec->thread;
        break;
    case LT_ATTR_THREADNAME: *ret = cstr_value(rec->thread_name); break;
    case LT_ATTR_PROCESS: *ret = int_value(rec->process); break;
    case LT_ATTR_PROCESSNAME: *ret = cstr_value(rec->process_name); break;
    case LT_ATTR_MESSAGE: *ret = str_value(rec->message, rec->message_len); break;
    case LT_ATTR_ERRNO: *ret = int_value(rec->errnum); break;
    case LT_ATTR_STRERROR: *ret = cstr_value(rec->strerror); break;
    case LT_ATTR_ARGS:
    case LT_ATTR_EXC_INFO:
    case LT_ATTR_EXC_TEXT:
    case LT_ATTR_STACK_INFO: ret->type = LT_VALUE_NULL; break;
    default: return false;
    }
    return true;
}

static struct lt__field *find_field(const lt_record *rec, const char *key)
{
    for (size_t i = 0; i < rec->nfields; i++)
        if (strcmp(rec->fields[i].key, key) == 0)
            return &rec->fields[i];
    return NULL;
}

bool lt_record_find_field(const lt_record *rec, const char *key, lt_value *ret)
{
    const struct lt__field *f = key ? find_field(rec, key) : NULL;

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

static void field_free(struct lt__field *f)
{
    free(f->key);
    if (f->value.type == LT_VALUE_STRING)
        free((void *)(uintptr_t)f->value.as.s.ptr);
}

/* The record owns a copy of the key and of a string value. */
static int field_fill(struct lt__field *f, const char *key, const lt_value *value)
{
    char *k = strdup(key), *s = NULL;

    if (!k)
        return LT_ENOMEM;
    if (value->type == LT_VALUE_STRING) {
        s = malloc(value->as.s.len + 1);
        if (!s) {
            free(k);
            return LT_ENOMEM;
        }
        memcpy(s, value->as.s.ptr, value->as.s.len);
        s[value->as.s.len] = '\0';
    }
    f->key = k;
    f->value = *value;
    if (s)
        f->value.as.s.ptr = s;
    return 0;
}

int lt_record_set_field(lt_record *rec, const char *key, const lt_value *value)
{
    struct lt__field *f, fresh;
    int r;

    LT__RETURN_IF(!rec || !key || !*key || !value, LT_EINVAL);
    LT__RETURN_IF(lt__is_record_attr(key), LT_EINVAL);
    r = field_fill(&fresh, key, value);
    if (r < 0)
        return r;
    f = find_field(rec, key);
    if (f) {
        field_free(f);
        *f = fresh;
        return 0;
    }
    if (rec->nfields == rec->fields_cap) {
        size_t cap = rec->fields_cap ? rec->fields_cap * 2 : 4;
        struct lt__field *fields = realloc(rec->fields, cap * sizeof(*fields));

        if (!fields) {
            field_free(&fresh);
            return LT_ENOMEM;
        }
        rec->fields = fields;
        rec->fields_cap = cap;
    }
    rec->fields[rec->nfields++] = fresh;
    return 0;
}

void lt__record_release_fields(lt_record *rec)
{
    for (size_t i = 0; i < rec->nfields; i++)
        field_free(&rec->fields[i]);
    free(rec->fields);
    rec->fields = NULL;
    rec->nfields = rec->fields_cap = 0;
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

int lt_record_copy(const lt_record *rec, lt_record **ret)
{
    const char *strs[] = {rec->name,     rec->levelname,   rec->pathname,
                          rec->funcname, rec->msg,         rec->strerror,
                          rec->thread_name, rec->process_name};
    size_t total = rec->message_len + 1, i;
    lt_record *copy;
    char *block, *cursor;

    LT__RETURN_IF(!rec || !ret, LT_EINVAL);
    for (i = 0; i < LT__ARRAY_SIZE(strs); i++)
        total += strlen(strs[i]) + 1;
    copy = malloc(sizeof(*copy));
    block = malloc(total);
    if (!copy || !block) {
        free(copy);
        free(block);
        return LT_ENOMEM;
    }
    *copy = *rec;
    copy->owned = cursor = block;
    copy->fields = NULL;
    copy->nfields = copy->fields_cap = 0;
    copy->name = stash(&cursor, rec->name, strlen(rec->name));
    copy->levelname = stash(&cursor, rec->levelname, strlen(rec->levelname));
    copy->pathname = stash(&cursor, rec->pathname, strlen(rec->pathname));
    copy->funcname = stash(&cursor, rec->funcname, strlen(rec->funcname));
    copy->msg = stash(&cursor, rec->msg, strlen(rec->msg));
    copy->strerror = stash(&cursor, rec->strerror, strlen(rec->strerror));
    copy->thread_name = stash(&cursor, rec->thread_name, strlen(rec->thread_name));
    copy->process_name = stash(&cursor, rec->process_name, strlen(rec->process_name));
    copy->message = stash(&cursor, rec->message, rec->message_len);
    for (i = 0; i < rec->nfields; i++) {
        if (lt_record_set_field(copy, rec->fields[i].key, &rec->fields[i].value) < 0) {
            lt_record_free(copy);
            return LT_ENOMEM;
        }
    }
    *ret = copy;
    return 0;
}

void lt_record_free(lt_record *rec)
{
    if (!rec)
        return;
    lt__record_release_fields(rec);
    free(rec->owned);
    free(rec);
}
