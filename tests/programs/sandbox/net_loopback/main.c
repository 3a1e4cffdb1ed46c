#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static int escaped = 0;

static void tcp(int family, const char *ip, int port) {
    struct sockaddr_storage storage = {0};
    socklen_t size;
    if (family == AF_INET) {
        struct sockaddr_in *addr = (struct sockaddr_in *)&storage;
        addr->sin_family = AF_INET, addr->sin_port = htons(port);
        inet_pton(AF_INET, ip, &addr->sin_addr);
        size = sizeof *addr;
    } else {
        struct sockaddr_in6 *addr = (struct sockaddr_in6 *)&storage;
        addr->sin6_family = AF_INET6, addr->sin6_port = htons(port);
        inet_pton(AF_INET6, ip, &addr->sin6_addr);
        size = sizeof *addr;
    }
    int fd = socket(family, SOCK_STREAM, 0);
    struct timeval timeout = {.tv_sec = 2};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&storage, size) == 0) {
        printf("ESCAPED: tcp %s port %d connected\n", ip, port);
        escaped = 1;
    } else {
        printf("tcp %s port %d blocked: %s\n", ip, port, strerrorname_np(errno));
    }
    close(fd);
}

/* The host's Redis, dev server, PostgreSQL and Docker API ports, and the default bridge gateway. */
int main(void) {
    int ports[] = {6379, 8000, 5432, 2375, 2376};
    for (int i = 0; i < 5; i++) {
        tcp(AF_INET, "127.0.0.1", ports[i]);
        tcp(AF_INET6, "::1", ports[i]);
        tcp(AF_INET, "172.17.0.1", ports[i]);
    }
    puts(escaped ? "ESCAPED" : "blocked");
    return escaped;
}
