/*
 * Process helpers of the multi-process RPC and signal tests: start a
 * counter server in a child process and obtain its capability, run a
 * function in a child process and collect its exit status. Every child
 * has an alarm, so a bug ends it instead of hanging the suite.
 */
#ifndef TESTS_TEST_PROC_H
#define TESTS_TEST_PROC_H

#include <sys/types.h>

#include <kernel/kernel.h>

#define TEST_CHILD_SECONDS 20

/* Forks a process serving a counter (counter_server.h) and returns its
 * pid and a capability to its main counter. The capability reaches the
 * parent the way it would in the system: the child hands it over by RPC
 * (store) to a bootstrap object of the parent. 0 or a KERR_* / RPC status. */
int spawn_counter_server(pid_t *pid, kcap_t *cap);

/* The general form: the child runs setup(arg, &cap), hands `cap` over as
 * above, then runs run(arg) and exits. */
int spawn_process(pid_t *pid, kcap_t *cap, int (*setup)(void *arg, kcap_t *cap),
                  void (*run)(void *arg), void *arg);

/* Kills a child (SIGKILL) and reaps it. */
void stop_child(pid_t pid);

/* Runs fn(arg) in a child process; returns its exit status (fn's return
 * value), or 128 + signal number when it was killed. */
int run_in_child(int (*fn)(void *arg), void *arg);

/* Forks fn(arg) without waiting; wait_child() collects it. */
pid_t start_child(int (*fn)(void *arg), void *arg);
int wait_child(pid_t pid);

#endif /* TESTS_TEST_PROC_H */
