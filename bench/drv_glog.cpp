// bench/drv_glog.cpp - glog 0.6 with its own line prefix (date and time in
// microseconds, severity letter, thread, file:line; it has no logger name)
// to one INFO file, buffered as glog buffers INFO. The disabled call is
// VLOG(1) at verbosity 0, glog's debug idiom. Built only when found.
#include "driver.h"

#include <glog/logging.h>

#include <iomanip>

static int glog_open(const char *path, enum bench_sink)
{
    FLAGS_logtostderr = false;
    FLAGS_alsologtostderr = false;
    FLAGS_stderrthreshold = 3; // FATAL only: nothing on the terminal
    FLAGS_timestamp_in_logfile_name = false;
    FLAGS_v = 0;
    google::InitGoogleLogging("logtree-bench");
    // only the INFO file: no WARNING/ERROR files beside it
    google::SetLogDestination(google::GLOG_WARNING, "");
    google::SetLogDestination(google::GLOG_ERROR, "");
    google::SetLogDestination(google::GLOG_FATAL, "");
    google::SetLogDestination(google::GLOG_INFO, path);
    google::SetLogSymlink(google::GLOG_INFO, "");
    return 0;
}

static void glog_info(int id, const char *from, double ms)
{
    LOG(INFO) << "request " << id << " from " << from << " took " << std::fixed
              << std::setprecision(3) << ms << " ms";
}

static void glog_debug_loop(long n, const char *from, double ms)
{
    for (long i = 0; i < n; i++)
        VLOG(1) << "request " << i << " from " << from << " took " << ms << " ms";
}

static int glog_close()
{
    google::FlushLogFiles(google::GLOG_INFO);
    google::ShutdownGoogleLogging();
    return 0;
}

static const char *glog_version()
{
    return BENCH_GLOG_VERSION; // glog's headers carry no version: CMake's
}

extern "C" const bench_driver bench_glog = {"glog", 0, 1, glog_open, glog_info, glog_debug_loop,
                                            glog_close, glog_version};
