/* tests/test_basic_config.c - lt_basic_config(), as logging.basicConfig(). */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

Test(basic_config, defaults_to_stderr_with_basic_format, .init = cr_redirect_stderr)
{
    cr_assert_eq(lt_basic_config(NULL, NULL), 0);
    LT_INFO(lt_get_logger("app"), "dropped: root stays at WARNING");
    LT_WARNING(lt_get_logger("app"), "disk %d%%", 90);
    fflush(stderr);
    cr_assert_stderr_eq_str("WARNING:app:disk 90%\n");
}

Test(basic_config, file_format_level)
{
    lt_error err;

    enter_temp_dir();
    cr_assert_eq(lt_basic_config(&(lt_basic_options){.filename = "b.log",
                                                     .filemode = "w",
                                                     .format = "{levelname}|{message}",
                                                     .style = '{',
                                                     .level = LT_LEVEL_DEBUG},
                                 &err),
                 0);
    LT_DEBUG(lt_get_logger("x"), "debug shown");
    cr_assert_str_eq(slurp("b.log"), "DEBUG|debug shown\n");
}

Test(basic_config, second_call_does_nothing_unless_forced)
{
    enter_temp_dir();
    cr_assert_eq(lt_basic_config(&(lt_basic_options){.filename = "one.log"}, NULL), 0);
    cr_assert_eq(lt_basic_config(&(lt_basic_options){.filename = "two.log",
                                                     .level = LT_LEVEL_DEBUG},
                                 NULL),
                 0);
    cr_assert_eq(access("two.log", F_OK), -1, "no handler made, no file created");
    cr_assert_eq(lt_logger_level(lt_get_logger(NULL)), LT_LEVEL_WARNING, "nor the level set");
    cr_assert_eq(lt_basic_config(&(lt_basic_options){.filename = "two.log",
                                                     .force = true,
                                                     .format = "%(message)s"},
                                 NULL),
                 0);
    LT_ERROR(lt_get_logger(NULL), "to two");
    cr_assert_str_eq(slurp("one.log"), "");
    cr_assert_str_eq(slurp("two.log"), "to two\n");
}

Test(basic_config, bad_options_change_nothing)
{
    lt_error err;

    enter_temp_dir();
    cr_assert_eq(lt_basic_config(&(lt_basic_options){.stream = stdout, .filename = "x.log"}, &err),
                 LT_EINVAL);
    cr_assert(strstr(err.message, "stream and filename") != NULL);
    cr_assert_eq(lt_basic_config(&(lt_basic_options){.format = "%(message)", .filename = "y.log"},
                                 &err),
                 LT_EFORMAT);
    cr_assert_eq(lt_basic_config(&(lt_basic_options){.style = '#'}, &err), LT_EINVAL);
    cr_assert_eq(lt_basic_config(&(lt_basic_options){.filename = "no/dir/z.log"}, &err), LT_ENOENT);
    cr_assert_str_eq(err.file, "no/dir/z.log");
    cr_assert_eq(access("y.log", F_OK), -1);
    cr_assert_not(lt_logger_has_handlers(lt_get_logger(NULL)));
}
