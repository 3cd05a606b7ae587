/*
 * The floor for one KBUS system call on a device: KSOCKID in a tight C loop.
 *
 * usage: ksockid-loop DEVICE REQUEST CALLS   prints the nanoseconds per call, elapsed and of
 *                                           this process's CPU time
 *
 * REQUEST is the KSOCKID request number for this process's pointer size, given by the caller
 * so that the program needs no KBUS header.
 */

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static double now_ns(clockid_t clock)
{
	struct timespec t;
	clock_gettime(clock, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s DEVICE REQUEST CALLS\n", argv[0]);
		return 2;
	}
	unsigned long request = strtoul(argv[2], NULL, 0);
	long calls = strtol(argv[3], NULL, 10);
	int fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	uint32_t id = 0;
	for (long i = 0; i < calls / 10; i++)
		ioctl(fd, request, &id);
	double start = now_ns(CLOCK_MONOTONIC);
	double start_cpu = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	for (long i = 0; i < calls; i++) {
		if (ioctl(fd, request, &id) < 0) {
			perror("KSOCKID");
			return 1;
		}
	}
	printf("%.1f %.1f\n", (now_ns(CLOCK_MONOTONIC) - start) / calls,
	       (now_ns(CLOCK_PROCESS_CPUTIME_ID) - start_cpu) / calls);
	close(fd);
	return 0;
}
