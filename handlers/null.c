/* handlers/null.c - NullHandler: a handler that does nothing, so that the
 * records reaching it do not fall through to the last resort. */
#include <logtree/handler.h>
#include <logtree/handlers.h>

static const lt_handler_type null_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "null",
    .flags = LT_HANDLER_RAW,
};

int lt_null_handler_new(lt_handler **ret)
{
    return lt_handler_new(ret, &null_type, NULL);
}
