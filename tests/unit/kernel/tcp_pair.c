/*
 * A loopback TCP pair for tests of streams (tcp_pair.h).
 */
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "tcp_pair.h"

void tcp_pair(int sv[2])
{
	struct sockaddr_in addr = { .sin_family = AF_INET,
		                    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof addr;
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(lfd >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&addr, sizeof addr), 0);
	assert_int_equal(listen(lfd, 1), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&addr, &len), 0);
	sv[1] = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(sv[1], (struct sockaddr *)&addr, sizeof addr),
	                 0);
	sv[0] = accept(lfd, NULL, NULL);
	assert_true(sv[0] >= 0);
	close(lfd);
}
