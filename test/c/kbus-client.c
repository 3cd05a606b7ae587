/*
 * A KBUS client written as C programs use /dev/kbusN: open, write an entire message, SEND,
 * poll, NEXTMSG, read, BIND with a kbus_bind_request holding a name pointer, a pointy message
 * whose name and data the device follows at SEND, REPLIER, close.
 *
 * The declarations follow kbus_defns.h (the structures and the _IOC request numbers); they are
 * restated here so that the program builds without the kernel module's headers.
 *
 * usage: kbus-client /path/to/kbus0     prints TAP, exits 0 when every check passed
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/ioctl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <string.h>
#include <unistd.h>

#define KBUS_MSG_START_GUARD 0x7375624B
#define KBUS_MSG_END_GUARD 0x4B627573

struct kbus_msg_id {
	uint32_t network_id;
	uint32_t serial_num;
};

struct kbus_orig_from {
	uint32_t network_id;
	uint32_t local_id;
};

struct kbus_message_header {
	uint32_t start_guard;
	struct kbus_msg_id id;
	struct kbus_msg_id in_reply_to;
	uint32_t to;
	uint32_t from;
	struct kbus_orig_from orig_from;
	struct kbus_orig_from final_to;
	uint32_t extra;
	uint32_t flags;
	uint32_t name_len;
	uint32_t data_len;
	char *name;
	void *data;
	uint32_t end_guard;
};

struct kbus_bind_request {
	uint32_t is_replier;
	uint32_t name_len;
	char *name;
};

struct kbus_bind_query {
	uint32_t return_id;
	uint32_t name_len;
	char *name;
};

#define KBUS_IOC_MAGIC 'k'
#define KBUS_IOC_BIND _IOW(KBUS_IOC_MAGIC, 2, char *)
#define KBUS_IOC_KSOCKID _IOR(KBUS_IOC_MAGIC, 4, char *)
#define KBUS_IOC_REPLIER _IOWR(KBUS_IOC_MAGIC, 5, char *)
#define KBUS_IOC_NEXTMSG _IOR(KBUS_IOC_MAGIC, 6, char *)
#define KBUS_IOC_LENLEFT _IOR(KBUS_IOC_MAGIC, 7, char *)
#define KBUS_IOC_SEND _IOR(KBUS_IOC_MAGIC, 8, char *)
#define KBUS_IOC_DISCARD _IO(KBUS_IOC_MAGIC, 9)
#define KBUS_IOC_LASTSENT _IOR(KBUS_IOC_MAGIC, 10, char *)
#define KBUS_IOC_MAXMSGS _IOWR(KBUS_IOC_MAGIC, 11, char *)

#define KBUS_BIT_ALL_OR_WAIT 0x100

#define KBUS_PADDED_NAME_LEN(len) (4 * (((len) + 4) / 4))
#define KBUS_PADDED_DATA_LEN(len) (4 * (((len) + 3) / 4))
#define KBUS_ENTIRE_MSG_LEN(name_len, data_len) \
	(sizeof(struct kbus_message_header) + KBUS_PADDED_NAME_LEN(name_len) + KBUS_PADDED_DATA_LEN(data_len) + 4)

static int checks, failures;

static void check(int ok, const char *what)
{
	checks++;
	if (!ok)
		failures++;
	printf("%s %d - %s%s%s\n", ok ? "ok" : "not ok", checks, what, ok ? "" : ": ", ok ? "" : strerror(errno));
}

static int bind_name(int fd, const char *name, int replier)
{
	struct kbus_bind_request req = { .is_replier = replier, .name_len = strlen(name), .name = (char *)name };
	return ioctl(fd, KBUS_IOC_BIND, &req);
}

/* Builds an entire message: header with NULL pointers, name, data, final end guard. */
static size_t entire_message(char *buf, const char *name, const char *data, uint32_t data_len)
{
	struct kbus_message_header h = { 0 };
	size_t name_len = strlen(name);
	size_t length = KBUS_ENTIRE_MSG_LEN(name_len, data_len);
	uint32_t end = KBUS_MSG_END_GUARD;

	memset(buf, 0, length);
	h.start_guard = KBUS_MSG_START_GUARD;
	h.end_guard = KBUS_MSG_END_GUARD;
	h.name_len = name_len;
	h.data_len = data_len;
	memcpy(buf, &h, sizeof h);
	memcpy(buf + sizeof h, name, name_len);
	memcpy(buf + sizeof h + KBUS_PADDED_NAME_LEN(name_len), data, data_len);
	memcpy(buf + length - 4, &end, 4);
	return length;
}

/* Pops and reads the next message of fd into buf; returns its length. */
static uint32_t receive(int fd, char *buf)
{
	uint32_t length = 0;
	size_t have = 0;
	ssize_t n;

	if (ioctl(fd, KBUS_IOC_NEXTMSG, &length) != 1)
		return 0;
	while ((n = read(fd, buf + have, length - have)) > 0) /* several reads, as a client may */
		have += n;
	return have == length ? length : 0;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kbus0";
	static char buf[4096];
	struct kbus_message_header *h = (struct kbus_message_header *)buf;
	struct kbus_msg_id sent = { 0 }, last = { 0 };
	uint32_t sender_id = 0, listener_id = 0, left = 1;
	struct kbus_bind_query query = { .name_len = strlen("$.C.Request"), .name = "$.C.Request" };
	int sender = open(path, O_RDWR | O_CLOEXEC);
	int listener = open(path, O_RDONLY | O_CLOEXEC);
	struct pollfd pfd = { .fd = listener, .events = POLLIN };
	size_t length;

	printf("TAP version 13\n");
	check(sender >= 0 && listener >= 0, "open read/write and read-only");
	check(ioctl(sender, KBUS_IOC_KSOCKID, &sender_id) == 0 && ioctl(listener, KBUS_IOC_KSOCKID, &listener_id) == 0 &&
		      sender_id != 0 && sender_id != listener_id,
	      "KSOCKID gives each Ksock its own id");
	check(bind_name(listener, "$.C.Client", 0) == 0, "BIND as listener with a name pointer");
	check(bind_name(listener, "$.C.Request", 1) == 0, "BIND as replier");
	check(ioctl(sender, KBUS_IOC_REPLIER, &query) == 1 && query.return_id == listener_id, "REPLIER finds the replier");
	check(bind_name(listener, "$.C.Bad-Name", 0) < 0 && errno == EBADMSG, "BIND of a malformed name gives EBADMSG");

	check(poll(&pfd, 1, 0) == 0, "an empty queue does not poll readable");
	length = entire_message(buf, "$.C.Client", "abc1234", 7);
	check(write(sender, buf, length) == (ssize_t)length, "write an entire message in one call");
	check(ioctl(sender, KBUS_IOC_SEND, &sent) == 0 && sent.serial_num != 0, "SEND returns the message id");
	check(ioctl(sender, KBUS_IOC_LASTSENT, &last) == 0 && last.serial_num == sent.serial_num, "LASTSENT agrees");
	check(poll(&pfd, 1, 1000) == 1 && (pfd.revents & POLLIN), "the listener polls readable");

	memset(buf, 0, sizeof buf);
	length = receive(listener, buf);
	check(length == KBUS_ENTIRE_MSG_LEN(10, 7), "NEXTMSG and read give the entire message");
	check(h->start_guard == KBUS_MSG_START_GUARD && h->end_guard == KBUS_MSG_END_GUARD && h->name == NULL && h->data == NULL,
	      "it arrives in entire form with both guards");
	check(h->id.serial_num == sent.serial_num && h->from == sender_id, "with its id and the sender's id in from");
	check(strcmp(buf + sizeof *h, "$.C.Client") == 0 && memcmp(buf + sizeof *h + 12, "abc1234", 7) == 0,
	      "name and data intact");
	check(ioctl(listener, KBUS_IOC_LENLEFT, &left) == 0 && left == 0, "LENLEFT is 0 once all is read");

	{
		/* A pointy message: the device reads name and data through the pointers at SEND. */
		char name[] = "$.C.Client";
		char data[] = "pointy data";
		struct kbus_message_header p = { .start_guard = KBUS_MSG_START_GUARD, .end_guard = KBUS_MSG_END_GUARD };

		p.name_len = strlen(name);
		p.data_len = strlen(data);
		p.name = name;
		p.data = data;
		check(write(sender, &p, sizeof p) == sizeof p, "write a pointy header");
		check(ioctl(sender, KBUS_IOC_SEND, &sent) == 0, "SEND follows its pointers");
		length = receive(listener, buf);
		check(length == KBUS_ENTIRE_MSG_LEN(10, 11) && memcmp(buf + sizeof *h + 12, "pointy data", 11) == 0,
		      "the pointy message arrives in entire form");
	}
	{
		struct kbus_message_header p = { .start_guard = KBUS_MSG_START_GUARD, .end_guard = KBUS_MSG_END_GUARD };

		p.name_len = 10;
		p.name = (char *)16; /* never mapped */
		check(write(sender, &p, sizeof p) == sizeof p && ioctl(sender, KBUS_IOC_SEND, &sent) < 0 && errno == EFAULT,
		      "SEND of a pointy message with an unusable name pointer gives EFAULT");
	}

	{
		/* ALL_OR_WAIT to a full listener: SEND fails with EAGAIN yet tells the message id. */
		uint32_t limit = 1;
		struct kbus_msg_id first = { 0 }, waiting = { 0 };

		check(ioctl(listener, KBUS_IOC_MAXMSGS, &limit) == 0 && limit == 1, "MAXMSGS sets a queue limit of 1");
		length = entire_message(buf, "$.C.Client", "", 0);
		check(write(sender, buf, length) == (ssize_t)length && ioctl(sender, KBUS_IOC_SEND, &first) == 0, "fill the queue");
		h->flags = KBUS_BIT_ALL_OR_WAIT;
		check(write(sender, buf, length) == (ssize_t)length && ioctl(sender, KBUS_IOC_SEND, &waiting) < 0 && errno == EAGAIN,
		      "ALL_OR_WAIT to a full queue gives EAGAIN");
		check(waiting.serial_num == first.serial_num + 1, "and still writes the message id to the SEND argument");
		check(ioctl(sender, KBUS_IOC_DISCARD) == 0, "DISCARD gives up the waiting message");
	}

	check(close(listener) == 0 && close(sender) == 0, "close");
	printf("1..%d\n", checks);
	return failures == 0 ? 0 : 1;
}
