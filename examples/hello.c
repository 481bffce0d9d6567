/* examples/hello.c - the smallest useful program: basicConfig and a logger.
 *
 *     $ ./hello
 *     2026-11-27 18:12:13,123 INFO app.db: connected to db1 in 12.5 ms
 *     2026-11-27 18:12:13,123 WARNING app.db: pool 90% full
 */
#include <logtree/logtree.h>

int main(void)
{
    lt_error err;
    lt_logger *db = lt_get_logger("app.db");

    if (lt_basic_config(&(lt_basic_options){
                            .level = LT_LEVEL_INFO,
                            .format = "%(asctime)s %(levelname)s %(name)s: %(message)s",
                        },
                        &err) < 0)
        return 1;
    LT_DEBUG(db, "not shown: the root logger is at INFO");
    LT_INFO(db, "connected to %s in %.1f ms", "db1", 12.5);
    LT_WARNING(db, "pool %d%% full", 90);
    return 0; /* lt_shutdown() runs at exit */
}
