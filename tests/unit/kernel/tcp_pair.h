/*
 * For tests of streams (kernel.h, "streams"): a connected TCP pair on the
 * loopback, the kind of socket a stream capability names, so that a test
 * can hold a stream without core's Net service.
 */
#ifndef TESTS_TCP_PAIR_H
#define TESTS_TCP_PAIR_H

/* Connects sv[0] (accepted) and sv[1] (dialled); fails the test if it
 * cannot. */
void tcp_pair(int sv[2]);

#endif
