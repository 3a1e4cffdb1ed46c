#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static int escaped = 0;

static void tcp(const char *ip, int port) {
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, ip, &addr.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct timeval timeout = {.tv_sec = 2};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
        printf("ESCAPED: tcp %s:%d connected\n", ip, port);
        escaped = 1;
    } else {
        printf("tcp %s:%d blocked: %s\n", ip, port, strerrorname_np(errno));
    }
}

static void udp(const char *ip, int port) {
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, ip, &addr.sin_addr);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd >= 0 && sendto(fd, "x", 1, 0, (struct sockaddr *)&addr, sizeof addr) == 1) {
        printf("ESCAPED: udp %s:%d sent\n", ip, port);
        escaped = 1;
    } else {
        printf("udp %s:%d blocked: %s\n", ip, port, strerrorname_np(errno));
    }
}

static void interfaces(void) {
    char line[256];
    FILE *dev = fopen("/proc/net/dev", "r");
    while (dev != NULL && fgets(line, sizeof line, dev) != NULL) {
        char name[64];
        if (sscanf(line, " %63[^:]:", name) == 1 && strchr(line, ':') && strcmp(name, "lo") != 0) {
            printf("ESCAPED: network interface %s\n", name);
            escaped = 1;
        }
    }
}

/* Public DNS, the cloud metadata address and a name lookup must all fail; only loopback may exist. */
int main(void) {
    tcp("1.1.1.1", 53);
    tcp("8.8.8.8", 443);
    tcp("169.254.169.254", 80);
    udp("1.1.1.1", 53);
    struct addrinfo *found;
    int err = getaddrinfo("example.com", "80", NULL, &found);
    if (err == 0) {
        puts("ESCAPED: example.com resolved");
        escaped = 1;
    } else {
        printf("dns blocked: %s\n", gai_strerror(err));
    }
    interfaces();
    puts(escaped ? "ESCAPED" : "blocked");
    return escaped;
}
