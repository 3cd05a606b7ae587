/*
 * kbus-agent: serves the KBUS remote protocol (agent/PROTOCOL.md) on a board's /dev/kbusN, so
 * that the conformance suite runs on another machine and only the system calls happen here.
 *
 * One C99 file, libc only, native to the board: its pointer size and byte order are the
 * ones the device expects, and the handshake says which they are.
 *
 *   cc -O2 -o kbus-agent kbus-agent.c
 *   kbus-agent [--device /dev/kbus0] [--bindings /proc/kbus/bindings]
 *              [--listen tcp:[HOST:]PORT | --listen unix:PATH | --serve PATH]
 *
 * Without --listen or --serve it speaks on stdin/stdout (for ssh). Single-threaded: a poll
 * with a timeout is kept pending in the event loop, so that other requests go on meanwhile.
 */

#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PROTOCOL_VERSION 1u
#define AGENT_NAME "kbus-agent 1"
#define MAX_FRAME (16u * 1024u * 1024u)
#define MAX_HANDLES 4096
#define MAX_POLL_MS 600000
#define MAX_DEVICES 256
#define FATAL_ID 0xFFFFFFFFu

enum op { OP_HELLO, OP_OPEN, OP_CLOSE, OP_WRITE, OP_READ, OP_IOCTL, OP_POLL, OP_ALLOC, OP_STORE, OP_BINDINGS };
enum status { ST_OK, ST_ERRNO, ST_BAD_REQUEST, ST_FATAL };
enum arg_kind { ARG_NONE, ARG_BUFFER, ARG_ADDRESS, ARG_UNUSABLE };

/* The first page is never mapped on Linux (mmap_min_addr), so no device can use this address. */
#define UNUSABLE_ADDRESS ((uintptr_t)0x10)

struct allocation {
	struct allocation *next;
	unsigned char *bytes;
	uint32_t length;
};

struct ksock {
	int fd; /* -1: free slot */
	struct allocation *allocations;
};

struct pending_poll {
	uint32_t id;
	uint32_t handle;
	short events;
	long long deadline_ms;
};

static const char *device_path = "/dev/kbus0";
static const char *bindings_path = "/proc/kbus/bindings";

static struct ksock handles[MAX_HANDLES];
static uint32_t handle_count; /* slots in use so far, free or not */
static struct pending_poll *pending;
static size_t pending_count, pending_room;
static int out_fd = 1;

/* --- bytes on the wire: always little-endian, whatever the board's order --- */

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const unsigned char *p)
{
	return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

static void put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void put_u64(unsigned char *p, uint64_t v)
{
	put_u32(p, (uint32_t)v);
	put_u32(p + 4, (uint32_t)(v >> 32));
}

/* A request's payload, consumed from the front; any read past its end marks it short. */
struct cursor {
	const unsigned char *p;
	size_t left;
	int short_read;
};

static const unsigned char *take(struct cursor *c, size_t n)
{
	const unsigned char *p = c->p;
	if (c->left < n) {
		c->short_read = 1;
		c->left = 0;
		return NULL;
	}
	c->p += n;
	c->left -= n;
	return p;
}

static uint32_t take_u32(struct cursor *c)
{
	const unsigned char *p = take(c, 4);
	return p ? get_u32(p) : 0;
}

static uint64_t take_u64(struct cursor *c)
{
	const unsigned char *p = take(c, 8);
	return p ? get_u64(p) : 0;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void write_all(const struct iovec *iov_in, int count)
{
	struct iovec iov[3];
	int i = 0;
	memcpy(iov, iov_in, sizeof(struct iovec) * (size_t)count);
	while (i < count) {
		ssize_t n = writev(out_fd, iov + i, count - i);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* The host is gone: nobody is left to answer. */
			exit(0);
		}
		while (i < count && (size_t)n >= iov[i].iov_len) {
			n -= (ssize_t)iov[i].iov_len;
			i++;
		}
		if (i < count) {
			iov[i].iov_base = (char *)iov[i].iov_base + n;
			iov[i].iov_len -= (size_t)n;
		}
	}
}

static void respond(uint32_t id, enum status status, int32_t value, const void *payload, size_t length)
{
	unsigned char head[13];
	struct iovec iov[2];
	put_u32(head, (uint32_t)(9 + length));
	put_u32(head + 4, id);
	head[8] = (unsigned char)status;
	put_u32(head + 9, (uint32_t)value);
	iov[0].iov_base = head;
	iov[0].iov_len = sizeof head;
	iov[1].iov_base = (void *)payload;
	iov[1].iov_len = length;
	write_all(iov, length ? 2 : 1);
}

static void ok(uint32_t id, int32_t value) { respond(id, ST_OK, value, NULL, 0); }

static void failed(uint32_t id, int error) { respond(id, ST_ERRNO, error, NULL, 0); }

static void bad_request(uint32_t id, const char *why) { respond(id, ST_BAD_REQUEST, 0, why, strlen(why)); }

/* At least one byte, so that an empty buffer is still a usable pointer; ENOMEM answered on failure. */
static void *allocate(uint32_t id, size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		failed(id, ENOMEM);
	return p;
}

/* --- Ksocks: the files this agent opened, and the memory placed for each --- */

static struct ksock *ksock_of(uint32_t handle)
{
	if (handle >= handle_count || handles[handle].fd < 0)
		return NULL;
	return &handles[handle];
}

static void free_allocations(struct ksock *k)
{
	while (k->allocations) {
		struct allocation *a = k->allocations;
		k->allocations = a->next;
		free(a->bytes);
		free(a);
	}
}

/* A pending poll on a closed Ksock can never be answered by the device: it gets EBADF. */
static void drop_polls_of(uint32_t handle)
{
	size_t i = 0;
	while (i < pending_count) {
		if (pending[i].handle == handle) {
			failed(pending[i].id, EBADF);
			pending[i] = pending[--pending_count];
		} else {
			i++;
		}
	}
}

static void close_ksock(uint32_t handle)
{
	struct ksock *k = &handles[handle];
	drop_polls_of(handle);
	free_allocations(k);
	close(k->fd);
	k->fd = -1;
}

/* A new host starts from nothing: what an earlier one left open is closed. */
static void reset_session(void)
{
	uint32_t h;
	for (h = 0; h < handle_count; h++)
		if (handles[h].fd >= 0)
			close_ksock(h);
	handle_count = 0;
}

/* DIR/kbusN next to the device we were given. */
static int sibling_path(char *out, size_t room, uint32_t number)
{
	size_t len = strlen(device_path);
	while (len > 0 && device_path[len - 1] >= '0' && device_path[len - 1] <= '9')
		len--;
	return snprintf(out, room, "%.*s%u", (int)len, device_path, number) < (int)room ? 0 : -1;
}

/* --- requests --- */

static void do_hello(uint32_t id, struct cursor *c)
{
	char text[2048], path[4096];
	size_t used;
	struct utsname u;
	union {
		uint16_t word;
		unsigned char bytes[2];
	} order;
	uint32_t version = take_u32(c), n;
	int first = 1;

	if (c->short_read || version < PROTOCOL_VERSION) {
		bad_request(id, "HELLO needs the host's protocol version, 1 or above");
		return;
	}
	reset_session();
	order.word = 1;
	if (uname(&u) != 0)
		strcpy(u.release, "unknown");
	used = (size_t)snprintf(text, sizeof text,
				"protocol=%u\nagent=%s\npointer-size=%u\nbyte-order=%s\nkernel-release=%s\nmachine=%s\n"
				"device=%s\nmax-frame=%u\ncapabilities=pointy-messages,bad-pointers,raw-ioctl,new-device%s\ndevices=",
				PROTOCOL_VERSION, AGENT_NAME, (unsigned)sizeof(void *), order.bytes[0] ? "little" : "big", u.release,
				u.machine, device_path, MAX_FRAME, access(bindings_path, R_OK) == 0 ? ",proc-reports" : "");
	for (n = 0; n < MAX_DEVICES && used < sizeof text - 8; n++) {
		if (sibling_path(path, sizeof path, n) == 0 && access(path, F_OK) == 0) {
			used += (size_t)snprintf(text + used, sizeof text - used, "%s%u", first ? "" : ",", n);
			first = 0;
		}
	}
	used += (size_t)snprintf(text + used, sizeof text - used, "\n");
	respond(id, ST_OK, (int32_t)PROTOCOL_VERSION, text, used);
}

static void do_open(uint32_t id, struct cursor *c)
{
	char path[4096];
	uint32_t number = take_u32(c), mode = take_u32(c), h;
	int fd;

	if (c->short_read || mode > 1) {
		bad_request(id, "OPEN needs a device number and a mode (0 read, 1 read-write)");
		return;
	}
	if (sibling_path(path, sizeof path, number) != 0) {
		failed(id, ENAMETOOLONG);
		return;
	}
	for (h = 0; h < handle_count && handles[h].fd >= 0; h++)
		;
	if (h == MAX_HANDLES) {
		failed(id, EMFILE);
		return;
	}
	fd = open(path, (mode ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		failed(id, errno);
		return;
	}
	handles[h].fd = fd;
	handles[h].allocations = NULL;
	if (h == handle_count)
		handle_count++;
	ok(id, (int32_t)h);
}

static struct ksock *ksock_arg(uint32_t id, struct cursor *c, uint32_t *handle)
{
	struct ksock *k;
	*handle = take_u32(c);
	if (c->short_read) {
		bad_request(id, "the request is shorter than its fields");
		return NULL;
	}
	k = ksock_of(*handle);
	if (!k)
		failed(id, EBADF);
	return k;
}

static void do_close(uint32_t id, struct cursor *c)
{
	uint32_t handle;
	if (!ksock_arg(id, c, &handle))
		return;
	close_ksock(handle);
	ok(id, 0);
}

static void do_write(uint32_t id, struct cursor *c)
{
	uint32_t handle;
	struct ksock *k = ksock_arg(id, c, &handle);
	ssize_t n;
	if (!k)
		return;
	n = write(k->fd, c->p, c->left);
	if (n < 0)
		failed(id, errno);
	else
		ok(id, (int32_t)n);
}

static void do_read(uint32_t id, struct cursor *c)
{
	uint32_t handle, count;
	struct ksock *k = ksock_arg(id, c, &handle);
	unsigned char *buf;
	ssize_t n;
	if (!k)
		return;
	count = take_u32(c);
	if (c->short_read || count > MAX_FRAME - 64) {
		bad_request(id, "READ needs a count below the frame limit");
		return;
	}
	buf = allocate(id, count);
	if (!buf)
		return;
	n = read(k->fd, buf, count);
	if (n < 0)
		failed(id, errno);
	else
		respond(id, ST_OK, (int32_t)n, buf, (size_t)n);
	free(buf);
}

/*
 * IOCTL with a BUFFER argument: the bytes go to memory here, and each named pointer slot in
 * them is filled with the address of a NUL-terminated copy of its bytes (a BIND name), freed
 * once the device has answered. The argument comes back as the device left it, even on error
 * (a SEND that must wait still writes the message id).
 */
static void do_ioctl(uint32_t id, struct cursor *c)
{
	uint32_t handle, request, arg_length = 0, pointers, i;
	struct ksock *k = ksock_arg(id, c, &handle);
	const unsigned char *kind_byte, *arg_bytes;
	unsigned char *arg = NULL, *names[4] = {NULL, NULL, NULL, NULL};
	void *address = NULL;
	int rv, error = 0;
	if (!k)
		return;
	request = take_u32(c);
	kind_byte = take(c, 1);
	if (c->short_read) {
		bad_request(id, "IOCTL needs a request number and an argument kind");
		return;
	}
	switch (*kind_byte) {
	case ARG_NONE:
		break;
	case ARG_UNUSABLE:
		address = (void *)UNUSABLE_ADDRESS;
		break;
	case ARG_ADDRESS: {
		uint64_t value = take_u64(c);
		if (c->short_read || (uintptr_t)value != value) {
			bad_request(id, "IOCTL ADDRESS needs an address the agent's pointers can hold");
			return;
		}
		address = (void *)(uintptr_t)value;
		break;
	}
	case ARG_BUFFER:
		arg_length = take_u32(c);
		arg_bytes = take(c, arg_length);
		pointers = take_u32(c);
		if (c->short_read || pointers > 4) {
			bad_request(id, "IOCTL BUFFER needs its length, bytes and at most 4 pointer slots");
			return;
		}
		arg = allocate(id, arg_length);
		if (!arg)
			return;
		memcpy(arg, arg_bytes, arg_length);
		for (i = 0; i < pointers; i++) {
			uint32_t offset = take_u32(c), length = take_u32(c);
			const unsigned char *bytes = take(c, length);
			if (c->short_read || offset > arg_length || arg_length - offset < sizeof(void *)) {
				bad_request(id, "an IOCTL pointer slot lies outside its argument");
				goto done;
			}
			names[i] = allocate(id, (size_t)length + 1);
			if (!names[i])
				goto done;
			memcpy(names[i], bytes, length);
			names[i][length] = 0;
			memcpy(arg + offset, &names[i], sizeof(void *));
		}
		address = arg;
		break;
	default:
		bad_request(id, "unknown IOCTL argument kind");
		return;
	}
	rv = ioctl(k->fd, (unsigned long)request, address);
	if (rv < 0)
		error = errno;
	if (*kind_byte == ARG_BUFFER)
		respond(id, error ? ST_ERRNO : ST_OK, error ? error : rv, arg, arg_length);
	else if (error)
		failed(id, error);
	else
		ok(id, rv);
done:
	for (i = 0; i < 4; i++)
		free(names[i]);
	free(arg);
}

static void do_poll(uint32_t id, struct cursor *c)
{
	uint32_t handle, events, timeout;
	struct ksock *k = ksock_arg(id, c, &handle);
	struct pollfd p;
	if (!k)
		return;
	events = take_u32(c);
	timeout = take_u32(c);
	if (c->short_read || (events & ~(uint32_t)(POLLIN | POLLOUT)) || timeout > MAX_POLL_MS) {
		bad_request(id, "POLL needs events (POLLIN, POLLOUT) and a timeout of at most 600000 ms");
		return;
	}
	p.fd = k->fd;
	p.events = (short)events;
	if (poll(&p, 1, 0) < 0) {
		failed(id, errno);
		return;
	}
	if (p.revents || timeout == 0) {
		ok(id, p.revents);
		return;
	}
	if (pending_count == pending_room) {
		size_t room = pending_room ? pending_room * 2 : 16;
		struct pending_poll *grown = realloc(pending, room * sizeof *pending);
		if (!grown) {
			failed(id, ENOMEM);
			return;
		}
		pending = grown;
		pending_room = room;
	}
	pending[pending_count].id = id;
	pending[pending_count].handle = handle;
	pending[pending_count].events = (short)events;
	pending[pending_count].deadline_ms = now_ms() + timeout;
	pending_count++;
}

static void do_alloc(uint32_t id, struct cursor *c)
{
	uint32_t handle;
	struct ksock *k = ksock_arg(id, c, &handle);
	struct allocation *a;
	unsigned char address[8];
	if (!k)
		return;
	a = malloc(sizeof *a);
	if (!a || !(a->bytes = malloc(c->left ? c->left : 1))) {
		free(a);
		failed(id, ENOMEM);
		return;
	}
	a->length = (uint32_t)(c->left ? c->left : 1);
	memset(a->bytes, 0, a->length);
	memcpy(a->bytes, c->p, c->left);
	a->next = k->allocations;
	k->allocations = a;
	put_u64(address, (uint64_t)(uintptr_t)a->bytes);
	respond(id, ST_OK, 0, address, sizeof address);
}

static void do_store(uint32_t id, struct cursor *c)
{
	uint32_t handle;
	struct ksock *k = ksock_arg(id, c, &handle);
	struct allocation *a;
	uint64_t address;
	if (!k)
		return;
	address = take_u64(c);
	if (c->short_read) {
		bad_request(id, "STORE needs an address");
		return;
	}
	for (a = k->allocations; a; a = a->next) {
		if ((uint64_t)(uintptr_t)a->bytes == address) {
			memset(a->bytes, 0, a->length);
			memcpy(a->bytes, c->p, c->left < a->length ? c->left : a->length);
			ok(id, 0);
			return;
		}
	}
	bad_request(id, "STORE address is not memory ALLOC gave this Ksock");
}

static void do_bindings(uint32_t id)
{
	static unsigned char text[MAX_FRAME / 4];
	size_t used = 0;
	ssize_t n;
	int fd = open(bindings_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		failed(id, errno);
		return;
	}
	while (used < sizeof text && (n = read(fd, text + used, sizeof text - used)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			failed(id, errno);
			close(fd);
			return;
		}
		used += (size_t)n;
	}
	close(fd);
	respond(id, ST_OK, (int32_t)used, text, used);
}

static void handle_frame(const unsigned char *frame, uint32_t size)
{
	uint32_t id = get_u32(frame);
	struct cursor c;
	c.p = frame + 5;
	c.left = size - 5;
	c.short_read = 0;
	if (id == FATAL_ID) {
		bad_request(id, "request id 0xFFFFFFFF is reserved");
		return;
	}
	switch (frame[4]) {
	case OP_HELLO: do_hello(id, &c); break;
	case OP_OPEN: do_open(id, &c); break;
	case OP_CLOSE: do_close(id, &c); break;
	case OP_WRITE: do_write(id, &c); break;
	case OP_READ: do_read(id, &c); break;
	case OP_IOCTL: do_ioctl(id, &c); break;
	case OP_POLL: do_poll(id, &c); break;
	case OP_ALLOC: do_alloc(id, &c); break;
	case OP_STORE: do_store(id, &c); break;
	case OP_BINDINGS: do_bindings(id); break;
	default: bad_request(id, "unknown request code"); break;
	}
}

/* --- the event loop: frames in, answers out, pending polls answered when ready or due --- */

static void fatal(const char *why)
{
	respond(FATAL_ID, ST_FATAL, 0, why, strlen(why));
}

static void answer_due_polls(const struct pollfd *fds, long long now)
{
	size_t i = pending_count;
	while (i-- > 0) {
		short revents = fds[i + 1].revents;
		if (revents || now >= pending[i].deadline_ms) {
			ok(pending[i].id, revents);
			pending[i] = pending[--pending_count];
		}
	}
}

/* Serves one connection until the host closes it; returns 0 at a clean end, -1 after a fatal one. */
static int serve(int in_fd)
{
	static unsigned char *in;
	static size_t room;
	struct pollfd *fds = NULL;
	size_t filled = 0, fds_room = 0, i;
	int result = 0;

	for (;;) {
		long long now = now_ms(), wait = -1;
		ssize_t n;
		if (fds_room < pending_count + 1) {
			free(fds);
			fds_room = (pending_count + 1) * 2;
			fds = malloc(fds_room * sizeof *fds);
			if (!fds) {
				fatal("out of memory");
				result = -1;
				break;
			}
		}
		fds[0].fd = in_fd;
		fds[0].events = POLLIN;
		for (i = 0; i < pending_count; i++) {
			long long left = pending[i].deadline_ms - now;
			fds[i + 1].fd = handles[pending[i].handle].fd;
			fds[i + 1].events = pending[i].events;
			if (wait < 0 || left < wait)
				wait = left < 0 ? 0 : left;
		}
		if (poll(fds, pending_count + 1, (int)wait) < 0) {
			if (errno == EINTR)
				continue;
			fatal("poll failed");
			result = -1;
			break;
		}
		answer_due_polls(fds, now_ms());
		if (!fds[0].revents)
			continue;
		if (room - filled < 65536) {
			size_t grown = room ? room * 2 : 131072;
			unsigned char *p = realloc(in, grown);
			if (!p) {
				fatal("out of memory");
				result = -1;
				break;
			}
			in = p;
			room = grown;
		}
		n = read(in_fd, in + filled, room - filled);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			if (filled > 0) {
				fatal("the connection closed inside a frame");
				result = -1;
			}
			break;
		}
		filled += (size_t)n;
		i = 0;
		while (filled - i >= 4) {
			uint32_t size = get_u32(in + i);
			if (size < 5 || size > MAX_FRAME) {
				fatal(size < 5 ? "frame shorter than its id and code" : "frame longer than max-frame");
				result = -1;
				goto out;
			}
			if (filled - i - 4 < size)
				break;
			handle_frame(in + i + 4, size);
			i += 4 + (size_t)size;
		}
		memmove(in, in + i, filled - i);
		filled -= i;
	}
out:
	free(fds);
	reset_session();
	return result;
}

/* --- transports --- */

/* A serial line or console must pass every byte as it is: no echo, no line editing, no CR/LF games. */
static void make_raw(int fd)
{
	struct termios t;
	if (!isatty(fd) || tcgetattr(fd, &t) != 0)
		return;
	t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXOFF);
	t.c_oflag &= ~(tcflag_t)OPOST;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
	t.c_cflag |= CS8;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tcsetattr(fd, TCSANOW, &t);
}

/* Serves a character device (serial line, virtio console) for ever: each host begins with HELLO. */
static int serve_path(const char *path)
{
	for (;;) {
		struct timespec pause = {0, 200000000};
		int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "kbus-agent: cannot open %s: %s\n", path, strerror(errno));
			return 2;
		}
		make_raw(fd);
		fprintf(stderr, "kbus-agent: serving %s\n", path);
		out_fd = fd;
		serve(fd);
		close(fd);
		/* A virtio port with no host on the other side reads as closed: wait before reopening. */
		nanosleep(&pause, NULL);
	}
}

static int listen_on(const char *where)
{
	int s, one = 1;
	if (strncmp(where, "unix:", 5) == 0) {
		struct sockaddr_un a;
		memset(&a, 0, sizeof a);
		a.sun_family = AF_UNIX;
		if (strlen(where + 5) >= sizeof a.sun_path) {
			fprintf(stderr, "kbus-agent: unix socket path too long: %s\n", where + 5);
			return -1;
		}
		strcpy(a.sun_path, where + 5);
		unlink(a.sun_path);
		s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 1) != 0) {
			fprintf(stderr, "kbus-agent: cannot listen on %s: %s\n", where, strerror(errno));
			return -1;
		}
		fprintf(stderr, "kbus-agent: listening on %s\n", where);
		return s;
	}
	if (strncmp(where, "tcp:", 4) == 0) {
		char host[256] = "", port[16];
		struct addrinfo hints, *ai;
		struct sockaddr_storage bound;
		socklen_t length = sizeof bound;
		const char *spec = where + 4, *colon = strrchr(spec, ':');
		if (colon) {
			snprintf(host, sizeof host, "%.*s", (int)(colon - spec), spec);
			spec = colon + 1;
		}
		snprintf(port, sizeof port, "%s", spec);
		memset(&hints, 0, sizeof hints);
		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_flags = AI_PASSIVE;
		if (getaddrinfo(host[0] ? host : NULL, port, &hints, &ai) != 0) {
			fprintf(stderr, "kbus-agent: cannot resolve %s\n", where);
			return -1;
		}
		s = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
		if (s >= 0)
			setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (s < 0 || bind(s, ai->ai_addr, ai->ai_addrlen) != 0 || listen(s, 1) != 0) {
			fprintf(stderr, "kbus-agent: cannot listen on %s: %s\n", where, strerror(errno));
			freeaddrinfo(ai);
			return -1;
		}
		freeaddrinfo(ai);
		getsockname(s, (struct sockaddr *)&bound, &length);
		fprintf(stderr, "kbus-agent: listening on tcp:%s:%u\n", host[0] ? host : "*",
			(unsigned)ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
								   : ((struct sockaddr_in *)&bound)->sin_port));
		return s;
	}
	fprintf(stderr, "kbus-agent: --listen needs tcp:[HOST:]PORT or unix:PATH (got %s)\n", where);
	return -1;
}

/* One host at a time; the next connection starts a new session. */
static int serve_listener(const char *where)
{
	int s = listen_on(where);
	if (s < 0)
		return 2;
	for (;;) {
		int conn = accept(s, NULL, NULL);
		if (conn < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			fprintf(stderr, "kbus-agent: accept failed: %s\n", strerror(errno));
			return 1;
		}
		out_fd = conn;
		serve(conn);
		close(conn);
	}
}

static const char usage[] =
	"usage: kbus-agent [--device /dev/kbus0] [--bindings /proc/kbus/bindings]\n"
	"                  [--listen tcp:[HOST:]PORT | --listen unix:PATH | --serve PATH]\n"
	"Serves the KBUS remote protocol (see PROTOCOL.md) on stdin/stdout, a socket, or a\n"
	"serial line or console (PATH).\n";

int main(int argc, char **argv)
{
	const char *listen_spec = NULL, *serve_spec = NULL;
	int i;
	signal(SIGPIPE, SIG_IGN);
	for (i = 1; i < argc; i++) {
		const char **target = NULL;
		if (strcmp(argv[i], "--device") == 0)
			target = &device_path;
		else if (strcmp(argv[i], "--bindings") == 0)
			target = &bindings_path;
		else if (strcmp(argv[i], "--listen") == 0)
			target = &listen_spec;
		else if (strcmp(argv[i], "--serve") == 0)
			target = &serve_spec;
		else if (strcmp(argv[i], "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		}
		if (!target || i + 1 == argc) {
			fprintf(stderr, "kbus-agent: %s %s\n%s", argv[i], target ? "needs a value" : "is not an option", usage);
			return 2;
		}
		*target = argv[++i];
	}
	if (listen_spec && serve_spec) {
		fprintf(stderr, "kbus-agent: --listen and --serve are two transports: choose one\n");
		return 2;
	}
	if (serve_spec)
		return serve_path(serve_spec);
	if (listen_spec)
		return serve_listener(listen_spec);
	return serve(0) == 0 ? 0 : 1;
}
