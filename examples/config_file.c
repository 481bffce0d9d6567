/* examples/config_file.c - set logging up from a Python fileConfig INI file.
 *
 *     $ ./config_file logging.ini
 *     INFO     app: starting
 *     DEBUG    app.db: query took 3 ms
 * and app.log gets the app.db records with time, file and line.
 */
#include <stdio.h>

#include <logtree/logtree.h>

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "logging.ini";
    char text[1024];
    lt_error err;

    if (lt_config_file(path, 0, &err) < 0) {
        lt_error_format(&err, text, sizeof(text));
        fprintf(stderr, "config_file: %s\n", text);
        return 2;
    }
    LT_INFO(lt_get_logger("app"), "starting");
    LT_DEBUG(lt_get_logger("app.db"), "query took %d ms", 3);
    LT_DEBUG(lt_get_logger("app"), "not shown: app inherits INFO from root");
    return 0;
}
