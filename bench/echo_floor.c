// SPDX-License-Identifier: MIT
// The floor the host's messaging is measured against: the least a native host can do.
// Reads native-messaging frames from stdin and answers each with a fixed small reply,
// the same framing work as the host with no JSON, no dispatch and no hardening.
// `echo_floor --version` prints one line and exits, the floor of `passagent-host --version`.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

static int read_full(void* buf, size_t len) {
    char* p = buf;
    while (len > 0) {
        ssize_t n = read(0, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int write_full(const void* buf, size_t len) {
    const char* p = buf;
    while (len > 0) {
        ssize_t n = write(1, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int main(int argc, char** argv) {
    static char buf[1 << 20];
    static const char reply[] = "{\"id\":1,\"ok\":true,\"result\":{\"accounts\":[]}}";
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        static const char version[] = "echo_floor 1\n";
        return write_full(version, sizeof version - 1) == 0 ? 0 : 1;
    }
    for (;;) {
        uint32_t len;
        if (read_full(&len, sizeof len) != 0) return 0;
        if (len > sizeof buf) return 1;
        if (read_full(buf, len) != 0) return 0;
        uint32_t out = (uint32_t)(sizeof reply - 1);
        char frame[sizeof out + sizeof reply];
        memcpy(frame, &out, sizeof out);
        memcpy(frame + sizeof out, reply, sizeof reply - 1);
        if (write_full(frame, sizeof out + out) != 0) return 0;
    }
}
