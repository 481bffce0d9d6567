/* tests/fuzz/support.c - see support.h. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define MAX_FIELDS 16

char *fuzz_take_string(struct fuzz_input *in, size_t *len)
{
    const uint8_t *nul = memchr(in->at, 0, in->left);
    size_t n = nul ? (size_t)(nul - in->at) : in->left;
    char *s = malloc(n + 1);

    if (!s)
        abort();
    memcpy(s, in->at, n);
    s[n] = '\0';
    in->at += n + (nul != NULL);
    in->left -= n + (nul != NULL);
    if (len)
        *len = n;
    return s;
}

uint8_t fuzz_take_byte(struct fuzz_input *in)
{
    uint8_t b = 0;

    if (in->left) {
        b = *in->at++;
        in->left--;
    }
    return b;
}

static void (*line_check)(const char *line, size_t len);

static int check_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    (void)state;
    (void)rec;
    if (line_check)
        line_check(lt_buf_data(msg), lt_buf_len(msg));
    return 0;
}

static const lt_handler_type check_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "fuzz",
    .emit = check_emit,
};

/* A field of each type the record can carry, its key and value from @in. */
static void take_field(struct fuzz_input *in, lt_field *f, char **owned)
{
    uint8_t type = fuzz_take_byte(in);
    size_t len;
    uint64_t bits = 0;

    owned[0] = fuzz_take_string(in, NULL);
    f->key = owned[0];
    switch (type % 5) {
    case 0:
        owned[1] = fuzz_take_string(in, &len);
        f->value = (lt_value){.type = LT_VALUE_STRING, .as.s = {owned[1], len}};
        break;
    case 1:
        for (int i = 0; i < 8; i++)
            bits = bits << 8 | fuzz_take_byte(in);
        f->value = (lt_value){.type = LT_VALUE_INT, .as.i = (int64_t)bits};
        break;
    case 2:
        for (int i = 0; i < 8; i++)
            bits = bits << 8 | fuzz_take_byte(in);
        f->value = (lt_value){.type = LT_VALUE_DOUBLE};
        memcpy(&f->value.as.d, &bits, sizeof(double));
        break;
    case 3:
        f->value = (lt_value){.type = LT_VALUE_BOOL, .as.b = fuzz_take_byte(in) & 1};
        break;
    default:
        f->value = (lt_value){.type = LT_VALUE_NULL};
        break;
    }
}

void fuzz_log_through(lt_formatter *f, struct fuzz_input *in,
                      void (*check)(const char *line, size_t len))
{
    lt_field fields[MAX_FIELDS];
    char *owned[MAX_FIELDS][2] = {{0}};
    size_t nfields = 0, len;
    char *message = fuzz_take_string(in, &len);
    lt_logger *lg = lt_get_logger("fuzz"), *view;
    lt_handler *h;
    int level = 5 + fuzz_take_byte(in) % 50;

    while (in->left && nfields < MAX_FIELDS) {
        take_field(in, &fields[nfields], owned[nfields]);
        nfields++;
    }
    if (lt_handler_new(&h, &check_type, NULL) != 0)
        abort();
    lt_handler_set_formatter(h, f);
    lt_logger_set_level(lg, 1);
    lt_logger_set_propagate(lg, false);
    lt_logger_add_handler(lg, h);
    line_check = check;
    view = lt_bind(lg, fields, nfields);
    lt_log_text_at(view, level, NULL, message, len);
    lt_unbind(view);
    lt_logger_remove_handler(lg, h);
    lt_handler_unref(h);
    for (size_t i = 0; i < nfields; i++) {
        free(owned[i][0]);
        free(owned[i][1]);
    }
    free(message);
}
