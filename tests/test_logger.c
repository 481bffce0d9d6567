/* tests/test_logger.c - the logger tree: names, parents, levels, propagate. */
#include <criterion/criterion.h>
#include <limits.h>
#include <string.h>

#include "support.h"

Test(logger, same_name_same_logger)
{
    cr_assert_eq(lt_get_logger("a.b"), lt_get_logger("a.b"));
    cr_assert_neq(lt_get_logger("a.b"), lt_get_logger("a.bc"));
    cr_assert_str_eq(lt_logger_name(lt_get_logger("a.b")), "a.b");
}

Test(logger, root_spellings)
{
    lt_logger *root = lt_get_logger(NULL);

    cr_assert_eq(lt_get_logger(""), root);
    cr_assert_eq(lt_get_logger("root"), root);
    cr_assert_str_eq(lt_logger_name(root), "root");
    cr_assert_null(lt_logger_parent(root));
    cr_assert_eq(lt_logger_level(root), LT_LEVEL_WARNING);
}

Test(logger, parent_is_nearest_existing_ancestor)
{
    lt_logger *abc = lt_get_logger("a.b.c");

    cr_assert_eq(lt_logger_parent(abc), lt_get_logger(NULL));
    lt_logger *a = lt_get_logger("a");
    cr_assert_eq(lt_logger_parent(abc), a, "a.b.c is re-attached under a");
    lt_logger *ab = lt_get_logger("a.b");
    cr_assert_eq(lt_logger_parent(abc), ab, "and then under a.b");
    cr_assert_eq(lt_logger_parent(ab), a);
    cr_assert_eq(lt_logger_parent(a), lt_get_logger(NULL));
}

Test(logger, fixup_leaves_unrelated_names_alone)
{
    lt_logger *abx = lt_get_logger("a.bx.c");
    lt_logger *ab = lt_get_logger("a.b");

    cr_assert_eq(lt_logger_parent(abx), lt_get_logger(NULL), "a.bx.c is not below a.b");
    cr_assert_eq(lt_logger_parent(ab), lt_get_logger(NULL));
}

Test(logger, deep_child_created_between)
{
    lt_logger *deep = lt_get_logger("x.y.z.w");
    lt_logger *xy = lt_get_logger("x.y");
    lt_logger *xyz = lt_get_logger("x.y.z");

    cr_assert_eq(lt_logger_parent(deep), xyz);
    cr_assert_eq(lt_logger_parent(xyz), xy);
}

Test(logger, get_child)
{
    lt_logger *app = lt_get_logger("app");

    cr_assert_eq(lt_logger_get_child(app, "db"), lt_get_logger("app.db"));
    cr_assert_eq(lt_logger_get_child(lt_get_logger(NULL), "top"), lt_get_logger("top"));
}

Test(logger, many_loggers_keep_identity)
{
    char name[32];
    lt_logger *first[2000];

    for (int i = 0; i < 2000; i++) {
        snprintf(name, sizeof(name), "svc%d.part%d", i % 37, i);
        first[i] = lt_get_logger(name);
    }
    for (int i = 0; i < 2000; i++) {
        snprintf(name, sizeof(name), "svc%d.part%d", i % 37, i);
        cr_assert_eq(lt_get_logger(name), first[i]);
        cr_assert_str_eq(lt_logger_name(first[i]), name);
    }
}

Test(levels, effective_level_inherits_through_notset)
{
    lt_logger *a = lt_get_logger("a"), *abc = lt_get_logger("a.b.c");

    cr_assert_eq(lt_logger_effective_level(abc), LT_LEVEL_WARNING, "root's WARNING");
    lt_logger_set_level(a, LT_LEVEL_DEBUG);
    cr_assert_eq(lt_logger_effective_level(abc), LT_LEVEL_DEBUG);
    cr_assert_eq(lt_logger_level(abc), LT_LEVEL_NOTSET);
    lt_logger_set_level(abc, LT_LEVEL_ERROR);
    cr_assert_eq(lt_logger_effective_level(abc), LT_LEVEL_ERROR);
}

Test(levels, change_applies_at_once_below)
{
    lt_logger *a = lt_get_logger("a"), *deep = lt_get_logger("a.b.c.d");

    cr_assert_not(lt_logger_is_enabled_for(deep, LT_LEVEL_INFO));
    lt_logger_set_level(a, LT_LEVEL_INFO);
    cr_assert(lt_logger_is_enabled_for(deep, LT_LEVEL_INFO));
    lt_logger *ab = lt_get_logger("a.b"); /* created later, between */
    lt_logger_set_level(ab, LT_LEVEL_CRITICAL);
    cr_assert_not(lt_logger_is_enabled_for(deep, LT_LEVEL_ERROR));
    cr_assert(lt_logger_is_enabled_for(deep, LT_LEVEL_CRITICAL));
}

Test(levels, level_zero_is_never_enabled)
{
    lt_logger *lg = lt_get_logger("z");

    lt_logger_set_level(lt_get_logger(NULL), LT_LEVEL_NOTSET);
    cr_assert_eq(lt_logger_effective_level(lg), LT_LEVEL_NOTSET);
    cr_assert(lt_logger_is_enabled_for(lg, 1));
    cr_assert_not(lt_logger_is_enabled_for(lg, 0));
    cr_assert_not(lt_logger_is_enabled_for(lg, -5));
}

Test(levels, disable_like_logging_disable)
{
    lt_logger *lg = lt_get_logger("d");

    lt_logger_set_level(lg, LT_LEVEL_DEBUG);
    lt_disable(LT_LEVEL_INFO);
    cr_assert_not(lt_logger_is_enabled_for(lg, LT_LEVEL_INFO));
    cr_assert(lt_logger_is_enabled_for(lg, LT_LEVEL_WARNING));
    lt_logger *later = lt_get_logger("d.later");
    cr_assert_not(lt_logger_is_enabled_for(later, LT_LEVEL_INFO), "applies to new loggers too");
    lt_disable(LT_LEVEL_NOTSET);
    cr_assert(lt_logger_is_enabled_for(lg, LT_LEVEL_INFO));
    lt_disable(INT_MAX);
    cr_assert_not(lt_logger_is_enabled_for(lg, INT_MAX));
}

Test(levels, disabled_logger)
{
    lt_logger *lg = lt_get_logger("off");

    lt_logger_set_disabled(lg, true);
    cr_assert(lt_logger_disabled(lg));
    cr_assert_not(lt_logger_is_enabled_for(lg, LT_LEVEL_CRITICAL));
    lt_logger_set_disabled(lg, false);
    cr_assert(lt_logger_is_enabled_for(lg, LT_LEVEL_CRITICAL));
}

Test(levels, names_both_ways)
{
    int level = 0;

    cr_assert_str_eq(lt_level_name(LT_LEVEL_NOTSET), "NOTSET");
    cr_assert_str_eq(lt_level_name(LT_LEVEL_DEBUG), "DEBUG");
    cr_assert_str_eq(lt_level_name(LT_LEVEL_INFO), "INFO");
    cr_assert_str_eq(lt_level_name(LT_LEVEL_WARNING), "WARNING");
    cr_assert_str_eq(lt_level_name(LT_LEVEL_ERROR), "ERROR");
    cr_assert_str_eq(lt_level_name(LT_LEVEL_CRITICAL), "CRITICAL");
    cr_assert_null(lt_level_name(25));
    cr_assert_eq(lt_level_from_name("WARN", &level), 0);
    cr_assert_eq(level, 30);
    cr_assert_eq(lt_level_from_name("FATAL", &level), 0);
    cr_assert_eq(level, 50);
    cr_assert_eq(lt_level_from_name("debug", &level), LT_ELEVEL, "names are case-sensitive");
    cr_assert_eq(lt_level_from_name("25", &level), LT_ELEVEL, "numbers are not names");
}

Test(levels, add_level_name)
{
    int level = 0;

    cr_assert_eq(lt_add_level_name(25, "NOTICE"), 0);
    cr_assert_str_eq(lt_level_name(25), "NOTICE");
    cr_assert_eq(lt_level_from_name("NOTICE", &level), 0);
    cr_assert_eq(level, 25);
    /* Renaming a level keeps its old name parseable, as Python's dicts do. */
    cr_assert_eq(lt_add_level_name(25, "NOTE"), 0);
    cr_assert_str_eq(lt_level_name(25), "NOTE");
    cr_assert_eq(lt_level_from_name("NOTICE", &level), 0);
    cr_assert_eq(level, 25);
    /* A name moved to another level names only that one. */
    cr_assert_eq(lt_add_level_name(26, "NOTE"), 0);
    cr_assert_eq(lt_level_from_name("NOTE", &level), 0);
    cr_assert_eq(level, 26);
    cr_assert_eq(lt_add_level_name(27, ""), LT_EINVAL);
    cr_assert_eq(lt_add_level_name(27, NULL), LT_EINVAL);
}

Test(levels, a_standard_level_renamed)
{
    int level = 0;

    cr_assert_str_eq(lt_level_name(30), "WARNING", "WARN is an alias, not the name");
    cr_assert_str_eq(lt_level_name(0), "NOTSET");
    cr_assert_null(lt_level_name(60));
    cr_assert_eq(lt_add_level_name(20, "INFORMATION"), 0);
    cr_assert_str_eq(lt_level_name(20), "INFORMATION");
    cr_assert_eq(lt_level_from_name("INFO", &level), 0);
    cr_assert_eq(level, 20);
    cr_assert_str_eq(lt_level_name(10), "DEBUG", "the other levels keep their names");
    cr_assert_str_eq(lt_level_name(50), "CRITICAL");
    cr_assert_eq(lt_add_level_name(60, "FATALER"), 0);
    cr_assert_str_eq(lt_level_name(60), "FATALER");
    cr_assert_str_eq(lt_level_name(20), "INFORMATION");
}

Test(levels, levelname_in_records)
{
    lt_formatter *f;
    lt_percent_options o = {.format = "%(levelname)s/%(levelno)d"};

    cr_assert_eq(lt_percent_formatter_new(&f, &o, NULL), 0);
    cr_assert_str_eq(render(f, "x", 25, "m"), "Level 25/25");
    lt_add_level_name(25, "NOTICE");
    cr_assert_str_eq(render(f, "x", 25, "m"), "NOTICE/25");
    lt_formatter_unref(f);
}

Test(logger, propagate_flag)
{
    lt_logger *lg = lt_get_logger("p");

    cr_assert(lt_logger_propagate(lg));
    lt_logger_set_propagate(lg, false);
    cr_assert_not(lt_logger_propagate(lg));
}

/* Python's addLevelName sets two dicts: naming 25 "INFO" makes "INFO" parse
 * as 25, and leaves 20 printing "INFO". */
Test(levels, reusing_a_name_as_python)
{
    int level = 0;

    cr_assert_eq(lt_add_level_name(25, "INFO"), 0);
    cr_assert_str_eq(lt_level_name(25), "INFO");
    cr_assert_str_eq(lt_level_name(20), "INFO");
    cr_assert_eq(lt_level_from_name("INFO", &level), 0);
    cr_assert_eq(level, 25);
}
