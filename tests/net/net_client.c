/* tests/net/net_client.c - a logging program the network tests drive line by
 * line on stdin, so that a test can stop a receiver between two records:
 *
 *   handler KIND KEY=VALUE...  make the handler (syslog, socket, datagram,
 *                              journal) and attach it to the root logger;
 *                              escape=none|controls sets lt_handler_set_escape()
 *   logger NAME | level N | fields on|off
 *   log COUNT TEXT             COUNT records, message TEXT (escapes \n \0 \\ \s
 *                              \xHH) then " #SEQ"
 *   big BYTES                  one record with a message of BYTES bytes
 *   flush | stats | fork COUNT TEXT | sleep MS | quit
 *
 * For each record it prints a JSON line saying what it logged (the message
 * in hex, the call site, process, thread, fields), so that the receiving side
 * can be checked attribute by attribute; flush and stats print their result.
 * SIGPIPE keeps its default action: a handler that raised it would kill us. */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <logtree/logtree.h>

#define LINE_MAX_LEN 65536

static lt_handler *handler;
static lt_logger *logger;
static int level = LT_LEVEL_INFO;
static bool with_fields;
static unsigned long seq;

static void die(const char *what, int r)
{
    fprintf(stderr, "net_client: %s: %s\n", what, lt_strerror(r));
    exit(2);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : 0;
}

/* Decode escapes in place; returns the length. */
static size_t unescape(char *s)
{
    char *out = s;

    for (char *p = s; *p; p++) {
        if (*p != '\\' || !p[1]) {
            *out++ = *p;
            continue;
        }
        switch (*++p) {
        case 'n': *out++ = '\n'; break;
        case '0': *out++ = '\0'; break;
        case 's': *out++ = ' '; break;
        case 't': *out++ = '\t'; break;
        case 'x':
            if (p[1] && p[2]) {
                *out++ = (char)(hexval(p[1]) * 16 + hexval(p[2]));
                p += 2;
            }
            break;
        default: *out++ = *p; break;
        }
    }
    return (size_t)(out - s);
}

static void print_hex(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        printf("%02x", (unsigned char)s[i]);
}

/* ---- handler options from KEY=VALUE words ---- */

struct opts {
    lt_syslog_options sys;
    lt_socket_options sock;
    lt_journal_options jour;
    lt_net_options net;
    const char *host;
    int port;
    lt_escape escape; /* escape=none|controls: lt_handler_set_escape() */
};

static void net_option(lt_net_options *net, const char *k, const char *v)
{
    if (strcmp(k, "queue") == 0)
        net->queue_size = strtoul(v, NULL, 10);
    else if (strcmp(k, "overflow") == 0)
        net->overflow = strcmp(v, "newest") == 0 ? LT_OVERFLOW_DROP_NEWEST : LT_OVERFLOW_DROP_OLDEST;
    else if (strcmp(k, "timeout") == 0)
        net->timeout = strtod(v, NULL);
    else if (strcmp(k, "retry") == 0)
        net->retry_start = strtod(v, NULL);
}

static lt_syslog_format format_of(const char *v)
{
    if (strcmp(v, "python") == 0)
        return LT_SYSLOG_FORMAT_PYTHON;
    if (strcmp(v, "rfc3164") == 0)
        return LT_SYSLOG_FORMAT_RFC3164;
    return strcmp(v, "rfc5424") == 0 ? LT_SYSLOG_FORMAT_RFC5424 : LT_SYSLOG_FORMAT_AUTO;
}

static lt_syslog_framing framing_of(const char *v)
{
    if (strcmp(v, "octet") == 0)
        return LT_SYSLOG_FRAMING_OCTET_COUNTING;
    if (strcmp(v, "newline") == 0)
        return LT_SYSLOG_FRAMING_NEWLINE;
    return strcmp(v, "none") == 0 ? LT_SYSLOG_FRAMING_NONE : LT_SYSLOG_FRAMING_AUTO;
}

static void option(struct opts *o, char *word)
{
    char *eq = strchr(word, '='), *k = word, *v;

    if (!eq)
        return;
    *eq = '\0';
    v = eq + 1;
    if (strcmp(k, "host") == 0)
        o->host = o->sys.host = v;
    else if (strcmp(k, "port") == 0)
        o->port = o->sys.port = atoi(v);
    else if (strcmp(k, "path") == 0)
        o->sys.path = o->jour.path = v;
    else if (strcmp(k, "socktype") == 0)
        o->sys.socktype = strcmp(v, "stream") == 0 ? SOCK_STREAM : SOCK_DGRAM;
    else if (strcmp(k, "format") == 0)
        o->sys.format = format_of(v);
    else if (strcmp(k, "framing") == 0)
        o->sys.framing = framing_of(v);
    else if (strcmp(k, "facility") == 0)
        o->sys.facility = v;
    else if (strcmp(k, "app") == 0)
        o->sys.app_name = v;
    else if (strcmp(k, "ident") == 0)
        o->sys.ident = v;
    else if (strcmp(k, "identifier") == 0)
        o->jour.identifier = v;
    else if (strcmp(k, "max_size") == 0)
        o->sys.max_size = strtoul(v, NULL, 10);
    else if (strcmp(k, "wire") == 0)
        o->sock.wire = strcmp(v, "lines") == 0 ? LT_WIRE_LINES : LT_WIRE_PICKLE;
    else if (strcmp(k, "escape") == 0)
        o->escape = strcmp(v, "none") == 0 ? LT_ESCAPE_NONE : LT_ESCAPE_CONTROLS;
    else
        net_option(&o->net, k, v);
}

static void make_handler(char *args)
{
    struct opts o;
    char *kind = strtok(args, " "), *w;
    int r;

    memset(&o, 0, sizeof(o));
    if (handler) {
        /* One handler at a time: the one before goes, flushed and closed. */
        lt_logger_remove_handler(lt_get_logger(NULL), handler);
        handler = lt_handler_unref(handler);
    }
    while ((w = strtok(NULL, " ")))
        option(&o, w);
    o.sys.net = o.sock.net = o.jour.net = o.net;
    if (strcmp(kind, "syslog") == 0)
        r = lt_syslog_handler_new(&handler, &o.sys);
    else if (strcmp(kind, "socket") == 0)
        r = lt_socket_handler_new(&handler, o.host, o.port, &o.sock);
    else if (strcmp(kind, "datagram") == 0)
        r = lt_datagram_handler_new(&handler, o.host, o.port, &o.sock);
    else
        r = lt_journal_handler_new(&handler, &o.jour);
    if (r < 0)
        die("handler", r);
    if (o.escape && (r = lt_handler_set_escape(handler, o.escape)) < 0)
        die("escape", r);
    if (o.sock.wire == LT_WIRE_LINES) {
        lt_formatter *f;

        if ((r = lt_json_formatter_new(&f, NULL, NULL)) < 0)
            die("formatter", r);
        lt_handler_set_formatter(handler, f);
        lt_formatter_unref(f);
    }
    lt_logger_add_handler(lt_get_logger(NULL), handler);
    printf("{\"handler\": \"%s\"}\n", kind);
}

/* ---- logging ---- */

static void print_fields(const lt_field *f, size_t n)
{
    printf(", \"fields\": {");
    for (size_t i = 0; i < n; i++) {
        const lt_value *v = &f[i].value;

        printf("%s\"%s\": ", i ? ", " : "", f[i].key);
        switch (v->type) {
        case LT_VALUE_STRING:
            printf("[\"s\", \"");
            print_hex(v->as.s.ptr, v->as.s.len);
            printf("\"]");
            break;
        case LT_VALUE_INT: printf("[\"i\", %lld]", (long long)v->as.i); break;
        case LT_VALUE_UINT: printf("[\"u\", \"%llu\"]", (unsigned long long)v->as.u); break;
        case LT_VALUE_DOUBLE: printf("[\"d\", %.17g]", v->as.d); break;
        case LT_VALUE_BOOL: printf("[\"b\", %s]", v->as.b ? "true" : "false"); break;
        default: printf("[\"n\", null]"); break;
        }
    }
    printf("}");
}

static void log_one(const char *text, size_t len)
{
    static const char tricky[] = "q\"b]s\\e\nnl \xff end";
    static const lt_callsite site = {.file = __FILE__, .func = __func__, .line = __LINE__};
    lt_field f[6];
    size_t nf = 0;

    if (with_fields) {
        f[nf++] = (lt_field){"user", lt_value_str("alice")};
        f[nf++] = (lt_field){"n", lt_value_int((long long)seq)};
        f[nf++] = (lt_field){"big", lt_value_uint(9223372036854775808ULL + seq)};
        f[nf++] = (lt_field){"ratio", lt_value_double((double)seq / 8.0)};
        f[nf++] = (lt_field){"ok", lt_value_bool(seq % 2 == 0)};
        f[nf++] = (lt_field){"tricky", lt_value_strn(LT_STR(tricky, sizeof(tricky) - 1))};
        lt_context_push(f, nf);
    }
    printf("{\"seq\": %lu, \"levelno\": %d, \"name\": \"%s\", \"msg\": \"", seq, level,
           lt_logger_name(logger));
    print_hex(text, len);
    printf("\", \"lineno\": %d, \"funcName\": \"%s\", \"pathname\": \"%s\", \"process\": %ld, "
           "\"thread\": \"%lu\"",
           site.line, site.func, site.file, (long)getpid(), (unsigned long)pthread_self());
    print_fields(f, nf);
    printf("}\n");
    lt_log_text_at(logger, level, &site, text, len);
    if (with_fields)
        lt_context_pop();
}

static void log_count(char *args)
{
    char *sp = strchr(args, ' ');
    unsigned long count = strtoul(args, NULL, 10);
    char *text = sp ? sp + 1 : (char *)"";
    size_t len = unescape(text);
    char *msg = malloc(len + 32);

    for (unsigned long i = 0; i < count; i++) {
        int n;

        memcpy(msg, text, len);
        n = snprintf(msg + len, 32, " #%lu", ++seq);
        log_one(msg, len + (size_t)n);
    }
    free(msg);
}

static void log_big(const char *args)
{
    size_t n = strtoul(args, NULL, 10);
    char *msg = malloc(n + 1);

    for (size_t i = 0; i < n; i++)
        msg[i] = (char)('a' + i % 26);
    seq++;
    if (n >= 8)
        memcpy(msg, "BIGSTART", 8);
    log_one(msg, n);
    free(msg);
}

static void stats(void)
{
    uint64_t dropped = 0;
    size_t queued = 0;

    lt_handler_control(handler, LT_NET_CTL_DROPPED, &dropped);
    lt_handler_control(handler, LT_NET_CTL_QUEUED, &queued);
    printf("{\"dropped\": %llu, \"errors\": %llu, \"queued\": %zu}\n",
           (unsigned long long)dropped, (unsigned long long)lt_handler_error_count(handler),
           queued);
}

static void fork_and_log(char *args)
{
    pid_t pid;
    int status = 0;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        log_count(args);
        lt_handler_flush(handler);
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    printf("{\"forked\": %d}\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void command(char *line)
{
    char *sp = strchr(line, ' '), *args = sp ? sp + 1 : (char *)"";

    if (sp)
        *sp = '\0';
    if (strcmp(line, "handler") == 0)
        make_handler(args);
    else if (strcmp(line, "logger") == 0)
        logger = lt_get_logger(args);
    else if (strcmp(line, "level") == 0)
        level = atoi(args);
    else if (strcmp(line, "fields") == 0)
        with_fields = strcmp(args, "on") == 0;
    else if (strcmp(line, "log") == 0)
        log_count(args);
    else if (strcmp(line, "big") == 0)
        log_big(args);
    else if (strcmp(line, "flush") == 0)
        printf("{\"flush\": %d}\n", lt_handler_flush(handler));
    else if (strcmp(line, "stats") == 0)
        stats();
    else if (strcmp(line, "fork") == 0)
        fork_and_log(args);
    else if (strcmp(line, "sleep") == 0)
        nanosleep(&(struct timespec){atoi(args) / 1000, (atoi(args) % 1000) * 1000000L}, NULL);
}

int main(void)
{
    static char line[LINE_MAX_LEN];

    signal(SIGPIPE, SIG_DFL);
    logger = lt_get_logger(NULL);
    lt_logger_set_level(logger, 1);
    while (fgets(line, sizeof(line), stdin)) {
        line[strcspn(line, "\n")] = '\0';
        if (strcmp(line, "quit") == 0)
            break;
        command(line);
        printf("{\"done\": true}\n");
        fflush(stdout);
    }
    lt_handler_unref(handler);
    return 0;
}
