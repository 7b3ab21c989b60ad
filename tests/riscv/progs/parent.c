/*
 * IPC test program, the root: starts boot module 1 ("server") with a
 * capability to its own endpoint, receives the server's endpoint from it
 * (capability transfer), calls it, tries forged selectors, measures a
 * call+reply round trip against a bare system call in guest instructions,
 * and finally sees the server's death revoke the capability.
 */
#include "sys.h"

#define ROUNDS 1000

int main(void);

static long call(long sel, long op, long value)
{
	struct sys_msg m = { .cap = -1, .w = { op, value, 0, 0 } };
	long err = sys_ipc(SYS_CALL, sel, &m);
	return err ? err : m.w[0];
}

static int bench(long server)
{
	unsigned long t0 = rd_instret();
	for (int i = 0; i < ROUNDS; i++)
		if (call(server, 1, i) != i + 1)
			return 1;
	unsigned long t1 = rd_instret();
	for (int i = 0; i < ROUNDS; i++)
		sys_ticks();
	unsigned long t2 = rd_instret();
	long ipc = (long)(t1 - t0) / ROUNDS, bare = (long)(t2 - t1) / ROUNDS;
	sys_put_num("bench: call+reply instructions: ", ipc);
	sys_put_num("bench: bare syscall instructions: ", bare);
	sys_put_num("bench: ratio x100: ", ipc * 100 / bare);
	return 0;
}

int main(void)
{
	long mine = sys_ep_create();
	if (mine < 0 || sys_pd_create(1, mine) != 0 ||
	    sys_pd_create(7, -1) != -1)
		return 1;
	struct sys_msg m = { .cap = -1 };
	if (sys_ipc(SYS_RECV, mine, &m) != 0 || m.w[0] != 77)
		return 2;
	long server = m.cap;
	sys_put_num("received a capability of type ", sys_cap_type(server));
	sys_put_num("the server's domain creation: ", m.w[1]);
	m = (struct sys_msg){ .cap = -1 };
	sys_ipc(SYS_REPLY, 0, &m);

	sys_put_num("call returned ", call(server, 1, 41));
	/* Selectors that name nothing here: empty, out of range, negative. */
	int forged = call(20, 1, 0) == -1 && call(32, 1, 0) == -1 &&
	             call(-7, 1, 0) == -1 && call(1 << 30, 1, 0) == -1;
	sys_puts(forged ? "forged selectors refused\n"
	                : "a forged selector worked\n");
	/* Receiving on an endpoint one does not own is denied (-9). */
	m = (struct sys_msg){ .cap = -1 };
	sys_put_num("receive on a foreign endpoint: ",
	            sys_ipc(SYS_RECV, server, &m));
	if (bench(server))
		return 3;
	sys_put_num("call to a dying server: ", call(server, 9, 0));
	sys_put_num("call after its death: ", call(server, 1, 0));
	return 0;
}
