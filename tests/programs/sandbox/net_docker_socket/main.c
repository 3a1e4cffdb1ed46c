#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Container engine control sockets: reaching any of them means owning the host. */
int main(void) {
    const char *paths[] = {
        "/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock",
        "/var/run/docker/containerd/containerd.sock", "/run/podman/podman.sock",
    };
    int escaped = 0;
    for (int i = 0; i < 5; i++) {
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        strncpy(addr.sun_path, paths[i], sizeof addr.sun_path - 1);
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
            printf("ESCAPED: connected to %s\n", paths[i]);
            escaped = 1;
        } else {
            printf("%s blocked: %s\n", paths[i], strerrorname_np(errno));
        }
        close(fd);
    }
    puts(escaped ? "ESCAPED" : "blocked");
    return escaped;
}
