/* tests/fuzz/fuzz_json_escape.c - the JSON formatter's string escaper and
 * the plain-text escaper (LT_ESCAPE_CONTROLS) on arbitrary bytes.
 *
 * JSON property: whatever the bytes of a message or a field value, the line
 * parses (logtree's strict RFC 8259 parser, src/json.c) and gives back the
 * bytes in their valid-UTF-8 form: each maximal invalid subpart replaced by
 * one U+FFFD (formatters.h). The expected form is computed here from the
 * Unicode standard's table 3-7 of well-formed sequences, not by logtree.
 *
 * Plain-text property: the escaped output is valid UTF-8 holding no control
 * character but TAB, escaping it again changes nothing, and text that had
 * nothing to escape comes out unchanged. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json.h"
#include "support.h"

/* Table 3-7: the well-formed byte sequences, as ranges per byte. */
static const struct {
    int n;
    unsigned char lo[4], hi[4];
} rows[] = {
    {1, {0x00}, {0x7F}},
    {2, {0xC2, 0x80}, {0xDF, 0xBF}},
    {3, {0xE0, 0xA0, 0x80}, {0xE0, 0xBF, 0xBF}},
    {3, {0xE1, 0x80, 0x80}, {0xEC, 0xBF, 0xBF}},
    {3, {0xED, 0x80, 0x80}, {0xED, 0x9F, 0xBF}},
    {3, {0xEE, 0x80, 0x80}, {0xEF, 0xBF, 0xBF}},
    {4, {0xF0, 0x90, 0x80, 0x80}, {0xF0, 0xBF, 0xBF, 0xBF}},
    {4, {0xF1, 0x80, 0x80, 0x80}, {0xF3, 0xBF, 0xBF, 0xBF}},
    {4, {0xF4, 0x80, 0x80, 0x80}, {0xF4, 0x8F, 0xBF, 0xBF}},
};

/* At @s (@len > 0 left): the bytes of a well-formed sequence (*@valid), or
 * of the maximal subpart of an ill-formed one (at least 1). */
static size_t next_char(const unsigned char *s, size_t len, bool *valid)
{
    for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
        size_t k = 0;

        while (k < (size_t)rows[r].n && k < len && s[k] >= rows[r].lo[k] && s[k] <= rows[r].hi[k])
            k++;
        if (k == 0)
            continue; /* the lead byte is another row's */
        *valid = k == (size_t)rows[r].n;
        return k;
    }
    *valid = false;
    return 1;
}

/* @s with every maximal invalid subpart replaced by U+FFFD, into @out
 * (room for 3 * @len). Returns its length. */
static size_t valid_form(const unsigned char *s, size_t len, char *out)
{
    size_t o = 0;

    for (size_t i = 0, n; i < len; i += n) {
        bool valid;

        n = next_char(s + i, len - i, &valid);
        if (valid) {
            memcpy(out + o, s + i, n);
            o += n;
        } else {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
        }
    }
    return o;
}

static void make_record(lt_record *rec, lt_field *field, const char *data, size_t len)
{
    memset(rec, 0, sizeof(*rec));
    rec->name = "fuzz";
    rec->levelno = LT_LEVEL_INFO;
    rec->levelname = "INFO";
    rec->pathname = rec->funcname = rec->thread_name = rec->process_name = "";
    rec->msg = rec->message = data;
    rec->message_len = len;
    rec->strerror = "";
    field->key = "v";
    field->value.type = LT_VALUE_STRING;
    field->value.as.s.ptr = data;
    field->value.as.s.len = len;
    rec->fields = field;
    rec->nfields = 1;
}

static void check_member(const lt__json *obj, const char *key, const char *want, size_t len)
{
    const lt__json *v = lt__json_get(obj, key);

    if (!v || v->kind != LT__JSON_STRING || v->as.str.len != len ||
        memcmp(v->as.str.ptr, want, len) != 0)
        abort(); /* the value did not come back as its valid-UTF-8 form */
}

static void json_property(const lt_record *rec, const char *want, size_t want_len)
{
    static lt_formatter *f;
    lt_json_options o = {.attributes = "message"};
    lt__json *root = NULL;
    lt_buf *b;

    if (!f && lt_json_formatter_new(&f, &o, NULL) != 0)
        abort();
    if (lt_buf_new(&b) != 0 || lt_formatter_format(f, rec, b) != 0)
        abort();
    if (lt__json_parse(lt_buf_data(b), lt_buf_len(b), "fuzz", &root, NULL) != 0)
        abort(); /* not JSON */
    check_member(root, "message", want, want_len);
    check_member(root, "v", want, want_len);
    lt__json_free(root);
    lt_buf_free(b);
}

/* Valid UTF-8 (by table 3-7) with no control character but TAB. */
static bool clean(const unsigned char *s, size_t len)
{
    for (size_t i = 0, n; i < len; i += n) {
        bool valid;

        n = next_char(s + i, len - i, &valid);
        if (!valid || (n == 1 && ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7F)) ||
            (n == 2 && s[i] == 0xC2 && s[i + 1] <= 0x9F))
            return false;
    }
    return true;
}

static void plain_property(const lt_record *rec, const char *data, size_t len)
{
    static lt_formatter *f;
    lt_percent_options o = {.format = "<%(message)s>"};
    lt_buf *b, *again;
    const unsigned char *out;
    size_t n;

    if (!f && lt_percent_formatter_new(&f, &o, NULL) != 0)
        abort();
    if (lt_buf_new(&b) != 0 || lt_buf_new(&again) != 0)
        abort();
    lt_buf_set_escape(b, LT_ESCAPE_CONTROLS);
    lt_buf_set_escape(again, LT_ESCAPE_CONTROLS);
    if (lt_formatter_format(f, rec, b) != 0)
        abort();
    out = (const unsigned char *)lt_buf_data(b);
    n = lt_buf_len(b);
    if (n < len + 2 || out[0] != '<' || out[n - 1] != '>' || !clean(out, n))
        abort(); /* a control character or invalid UTF-8 got through */
    if (clean((const unsigned char *)data, len) && (n != len + 2 || memcmp(out + 1, data, len)))
        abort(); /* clean text was changed */
    lt_buf_append(again, out, n);
    lt_buf_escape_from(again, 0);
    if (lt_buf_len(again) != n || memcmp(lt_buf_data(again), out, n) != 0)
        abort(); /* escaped text was escaped again */
    lt_buf_free(b);
    lt_buf_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *want = malloc(3 * size + 1);
    lt_field field;
    lt_record rec;
    size_t want_len;

    if (!want)
        abort();
    char *text = malloc(size + 1); /* records hold NUL-terminated text */

    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    want_len = valid_form(data, size, want);
    make_record(&rec, &field, text, size);
    json_property(&rec, want, want_len);
    plain_property(&rec, text, size);
    free(text);
    free(want);
    return 0;
}
