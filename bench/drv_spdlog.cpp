// bench/drv_spdlog.cpp - spdlog: its synchronous basic file sink, and the
// same sink behind its asynchronous logger (a thread pool, block when the
// queue is full: nothing dropped). Pattern: date with milliseconds, level,
// logger name, message. Built only when find_package(spdlog) finds it.
#include "driver.h"

#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include <string>

static std::shared_ptr<spdlog::logger> spd;

static void spd_setup()
{
    spd->set_pattern("%Y-%m-%d %H:%M:%S.%e %l %n %v");
    spd->set_level(spdlog::level::info);
}

static int spd_sync_open(const char *path, enum bench_sink)
{
    try {
        spd = spdlog::basic_logger_mt("bench", path, true);
    } catch (const spdlog::spdlog_ex &) {
        return -1;
    }
    spd_setup();
    return 0;
}

static int spd_async_open(const char *path, enum bench_sink)
{
    try {
        spdlog::init_thread_pool(8192, 1);
        spd = spdlog::basic_logger_mt<spdlog::async_factory>("bench", path, true);
    } catch (const spdlog::spdlog_ex &) {
        return -1;
    }
    spd_setup();
    return 0;
}

static void spd_info(int id, const char *from, double ms)
{
    spd->info("request {} from {} took {:.3f} ms", id, from, ms);
}

static void spd_debug_loop(long n, const char *from, double ms)
{
    for (long i = 0; i < n; i++)
        spd->debug("request {} from {} took {:.3f} ms", static_cast<int>(i), from, ms);
}

// shutdown() drains the async queue, joins its thread and closes the file.
static int spd_close()
{
    spd->flush();
    spd.reset();
    spdlog::shutdown();
    return 0;
}

static const char *spd_version()
{
    static const std::string v = std::to_string(SPDLOG_VER_MAJOR) + "." +
                                 std::to_string(SPDLOG_VER_MINOR) + "." +
                                 std::to_string(SPDLOG_VER_PATCH);
    return v.c_str();
}

extern "C" const bench_driver bench_spdlog_sync = {"spdlog-sync", 0, 1, spd_sync_open, spd_info,
                                                   spd_debug_loop, spd_close, spd_version};
extern "C" const bench_driver bench_spdlog_async = {"spdlog-async", 1, 1, spd_async_open,
                                                    spd_info, spd_debug_loop, spd_close, spd_version};
