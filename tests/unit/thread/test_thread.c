/*
 * Unit tests of threads, the lock and the semaphore (runtime/thread.h,
 * runtime/lock.h, runtime/semaphore.h): several threads incrementing a
 * plain counter under the lock keep it exact; the scope guard releases on
 * every exit path; only the owner releases; the semaphore counts; a
 * thread blocked in a cancelable lock acquisition or semaphore down gets
 * KERR_CANCELED from thread_cancel_blocking(), while the plain lock and
 * the plain down block again and return only when granted.
 *
 * Waiting for a thread to be queued polls the lock's or semaphore's queue
 * with sched_yield() between looks; no test asserts anything about time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <runtime/lock.h>
#include <runtime/semaphore.h>
#include <runtime/thread.h>

#include <sched.h>
#include <stdatomic.h>
#include <string.h>

/* --- threads ---------------------------------------------------------------- */

static void set_flag(void *arg)
{
	atomic_store((atomic_int *)arg, 1);
}

static void thread_runs_entry_and_joins(void **state)
{
	atomic_int flag = 0;
	struct thread t;
	assert_int_equal(thread_start(&t,
	                              "worker-with-a-rather-long-name-indeed",
	                              64 * 1024, set_flag, &flag),
	                 0);
	assert_int_equal(strlen(thread_name(&t)), THREAD_NAME_MAX - 1);
	assert_int_equal(thread_join(&t), 0);
	assert_int_equal(atomic_load(&flag), 1);
	assert_int_equal(thread_join(&t), KERR_INVALID);
	assert_int_equal(thread_start(&t, "x", 0, NULL, NULL), KERR_INVALID);
}

/* --- lock ------------------------------------------------------------------- */

enum { WORKERS = 4, ROUNDS = 20000 };

struct counter {
	struct semaphore start; /* opens when every worker runs */
	struct lock lock;
	long value; /* deliberately not atomic */
	int inside; /* threads inside the critical section */
	int violations;
};

static void count_up(void *arg)
{
	struct counter *c = arg;
	semaphore_down(&c->start);
	for (int i = 0; i < ROUNDS; i++) {
		lock_acquire(&c->lock);
		if (++c->inside != 1)
			c->violations++;
		c->value++;
		c->inside--;
		lock_release(&c->lock);
	}
}

static void lock_keeps_counter_exact_under_contention(void **state)
{
	static struct counter c = { .lock = LOCK_INIT };
	semaphore_init(&c.start, 0);
	struct thread t[WORKERS];
	for (int i = 0; i < WORKERS; i++)
		assert_int_equal(thread_start(&t[i], "counter", 0, count_up,
		                              &c),
		                 0);
	for (int i = 0; i < WORKERS; i++)
		semaphore_up(&c.start);
	for (int i = 0; i < WORKERS; i++)
		assert_int_equal(thread_join(&t[i]), 0);
	assert_int_equal(c.value, (long)WORKERS * ROUNDS);
	assert_int_equal(c.violations, 0);
	assert_true(lock_try_acquire(&c.lock));
}

static int guarded_early_return(struct lock *l, int early)
{
	LOCK_GUARD(l);
	assert_true(lock_owned(l));
	if (early)
		return 1;
	return 2;
}

static void guard_releases_on_every_path(void **state)
{
	struct lock l;
	lock_init(&l);
	assert_int_equal(guarded_early_return(&l, 1), 1);
	assert_false(lock_owned(&l));
	assert_int_equal(guarded_early_return(&l, 0), 2);
	assert_true(lock_try_acquire(&l));
	assert_false(lock_try_acquire(&l));
	assert_int_equal(lock_release(&l), 0);
}

struct foreign_release {
	struct lock *lock;
	int result;
};

static void release_foreign(void *arg)
{
	struct foreign_release *f = arg;
	f->result = lock_release(f->lock);
}

static void only_owner_releases(void **state)
{
	struct lock l;
	lock_init(&l);
	assert_int_equal(lock_release(&l), KERR_DENIED); /* free lock */
	lock_acquire(&l);
	struct foreign_release f = { .lock = &l };
	struct thread t;
	assert_int_equal(thread_start(&t, "thief", 0, release_foreign, &f), 0);
	assert_int_equal(thread_join(&t), 0);
	assert_int_equal(f.result, KERR_DENIED);
	assert_true(lock_owned(&l));
	assert_int_equal(lock_release(&l), 0);
}

static bool queued(struct spinlock *guard, struct fifo *waiters)
{
	spinlock_acquire(guard);
	bool some = !fifo_empty(waiters);
	spinlock_release(guard);
	return some;
}

static void wait_until_queued(struct spinlock *guard, struct fifo *waiters)
{
	while (!queued(guard, waiters))
		sched_yield();
}

struct lock_waiter {
	struct lock *lock;
	bool self_cancel;
	atomic_int released_by_main;
	int result;
	bool owned;
	bool saw_release;
};

static void acquire_cancelable(void *arg)
{
	struct lock_waiter *w = arg;
	w->result = lock_acquire_cancelable(w->lock);
	w->owned = lock_owned(w->lock);
	if (w->owned)
		lock_release(w->lock);
}

static void cancel_interrupts_cancelable_acquire(void **state)
{
	struct lock l;
	lock_init(&l);
	lock_acquire(&l);
	struct lock_waiter w = { .lock = &l };
	struct thread t;
	assert_int_equal(thread_start(&t, "waiter", 0, acquire_cancelable, &w),
	                 0);
	wait_until_queued(&l.guard, &l.waiters);
	thread_cancel_blocking(&t);
	assert_int_equal(thread_join(&t), 0);
	assert_int_equal(w.result, KERR_CANCELED);
	assert_false(w.owned);
	assert_false(queued(&l.guard, &l.waiters));
	assert_true(lock_owned(&l));
	assert_int_equal(lock_release(&l), 0);
}

static void acquire_plain(void *arg)
{
	struct lock_waiter *w = arg;
	if (w->self_cancel)
		kthread_cancel_blocking(kthread_self());
	lock_acquire(w->lock);
	w->saw_release = atomic_load(&w->released_by_main);
	w->owned = lock_owned(w->lock);
	lock_release(w->lock);
}

static void plain_acquire_blocks_again_after_cancel(void **state)
{
	for (int self = 0; self < 2; self++) {
		struct lock l;
		lock_init(&l);
		lock_acquire(&l);
		struct lock_waiter w = { .lock = &l, .self_cancel = self };
		struct thread t;
		assert_int_equal(thread_start(&t, "waiter", 0, acquire_plain,
		                              &w),
		                 0);
		wait_until_queued(&l.guard, &l.waiters);
		thread_cancel_blocking(&t);
		thread_cancel_blocking(&t);
		atomic_store(&w.released_by_main, 1);
		assert_int_equal(lock_release(&l), 0);
		assert_int_equal(thread_join(&t), 0);
		assert_true(w.saw_release); /* returned only once released */
		assert_true(w.owned);       /* and then with the lock */
	}
}

static int queue_length(struct spinlock *guard, struct fifo *waiters)
{
	spinlock_acquire(guard);
	int n = 0;
	for (struct fifo_elem *e = fifo_head(waiters); e; e = fifo_next(e))
		n++;
	spinlock_release(guard);
	return n;
}

enum { QUEUED = 4 };

struct order {
	struct lock *lock;
	struct semaphore *sem;
	struct lock record_lock;
	int sequence[QUEUED];
	int next;
};

struct order_arg {
	struct order *order;
	int id;
};

static void record(struct order *o, int id)
{
	LOCK_GUARD(&o->record_lock);
	o->sequence[o->next++] = id;
}

static void take_lock_in_turn(void *arg)
{
	struct order_arg *a = arg;
	lock_acquire(a->order->lock);
	record(a->order, a->id);
	lock_release(a->order->lock);
}

static void take_unit_in_turn(void *arg)
{
	struct order_arg *a = arg;
	semaphore_down(a->order->sem);
	record(a->order, a->id);
}

/* Starts QUEUED threads one after another, each once the one before is
 * queued, then opens: they must get through in the order they queued. */
static void check_fifo_order(struct order *o, void (*entry)(void *),
                             struct spinlock *guard, struct fifo *waiters,
                             void (*open)(struct order *))
{
	struct order_arg args[QUEUED];
	struct thread t[QUEUED];
	for (int i = 0; i < QUEUED; i++) {
		args[i] = (struct order_arg){ o, i };
		assert_int_equal(thread_start(&t[i], "queued", 0, entry,
		                              &args[i]),
		                 0);
		while (queue_length(guard, waiters) != i + 1)
			sched_yield();
	}
	open(o);
	for (int i = 0; i < QUEUED; i++)
		assert_int_equal(thread_join(&t[i]), 0);
	for (int i = 0; i < QUEUED; i++)
		assert_int_equal(o->sequence[i], i);
}

static void open_lock(struct order *o)
{
	lock_release(o->lock);
}

static int recorded(struct order *o)
{
	LOCK_GUARD(&o->record_lock);
	return o->next;
}

/* One unit at a time: whoever got it has recorded before the next up. */
static void open_semaphore(struct order *o)
{
	for (int i = 0; i < QUEUED; i++) {
		semaphore_up(o->sem);
		while (recorded(o) != i + 1)
			sched_yield();
	}
}

static void waiters_are_served_in_fifo_order(void **state)
{
	struct lock l;
	lock_init(&l);
	struct order o = { .lock = &l, .record_lock = LOCK_INIT };
	lock_acquire(&l);
	check_fifo_order(&o, take_lock_in_turn, &l.guard, &l.waiters,
	                 open_lock);

	struct semaphore sem;
	semaphore_init(&sem, 0);
	struct order p = { .sem = &sem, .record_lock = LOCK_INIT };
	check_fifo_order(&p, take_unit_in_turn, &sem.guard, &sem.waiters,
	                 open_semaphore);
}

/* --- semaphore ------------------------------------------------------------- */

static void semaphore_counts(void **state)
{
	struct semaphore s;
	semaphore_init(&s, 3);
	assert_int_equal(semaphore_count(&s), 3);
	for (int i = 0; i < 3; i++)
		assert_true(semaphore_try_down(&s));
	assert_false(semaphore_try_down(&s));
	semaphore_up(&s);
	semaphore_up(&s);
	assert_int_equal(semaphore_count(&s), 2);
	semaphore_down(&s);
	assert_int_equal(semaphore_down_cancelable(&s), 0);
	assert_int_equal(semaphore_count(&s), 0);
}

enum { ITEMS = 5000, CONSUMERS = 3 };

struct pipeline {
	struct semaphore items;
	struct lock lock;
	long consumed;
};

static void consume(void *arg)
{
	struct pipeline *p = arg;
	for (;;) {
		semaphore_down(&p->items);
		LOCK_GUARD(&p->lock);
		if (p->consumed == ITEMS)
			return; /* the poison unit: leave it for the next one */
		p->consumed++;
	}
}

static void consume_stop(void *arg)
{
	struct pipeline *p = arg;
	consume(p);
	semaphore_up(&p->items); /* pass the stop on */
}

static void semaphore_hands_every_unit_to_one_waiter(void **state)
{
	static struct pipeline p = { .lock = LOCK_INIT };
	semaphore_init(&p.items, 0);
	struct thread t[CONSUMERS];
	for (int i = 0; i < CONSUMERS; i++)
		assert_int_equal(thread_start(&t[i], "consumer", 0,
		                              consume_stop, &p),
		                 0);
	for (int i = 0; i < ITEMS; i++)
		semaphore_up(&p.items);
	semaphore_up(&p.items); /* stop */
	for (int i = 0; i < CONSUMERS; i++)
		assert_int_equal(thread_join(&t[i]), 0);
	assert_int_equal(p.consumed, ITEMS);
	assert_int_equal(semaphore_count(&p.items), 1);
}

struct sem_waiter {
	struct semaphore *sem;
	atomic_int upped;
	int result;
	bool saw_up;
};

static void down_cancelable(void *arg)
{
	struct sem_waiter *w = arg;
	w->result = semaphore_down_cancelable(w->sem);
}

static void cancel_interrupts_cancelable_down(void **state)
{
	struct semaphore s;
	semaphore_init(&s, 0);
	struct sem_waiter w = { .sem = &s };
	struct thread t;
	assert_int_equal(thread_start(&t, "down", 0, down_cancelable, &w), 0);
	wait_until_queued(&s.guard, &s.waiters);
	thread_cancel_blocking(&t);
	assert_int_equal(thread_join(&t), 0);
	assert_int_equal(w.result, KERR_CANCELED);
	assert_false(queued(&s.guard, &s.waiters));
	/* the canceled waiter took no unit: an up is counted */
	semaphore_up(&s);
	assert_int_equal(semaphore_count(&s), 1);
}

static void down_plain(void *arg)
{
	struct sem_waiter *w = arg;
	semaphore_down(w->sem);
	w->saw_up = atomic_load(&w->upped);
}

static void plain_down_blocks_again_after_cancel(void **state)
{
	struct semaphore s;
	semaphore_init(&s, 0);
	struct sem_waiter w = { .sem = &s };
	struct thread t;
	assert_int_equal(thread_start(&t, "down", 0, down_plain, &w), 0);
	wait_until_queued(&s.guard, &s.waiters);
	thread_cancel_blocking(&t);
	atomic_store(&w.upped, 1);
	semaphore_up(&s);
	assert_int_equal(thread_join(&t), 0);
	assert_true(w.saw_up);
	assert_int_equal(semaphore_count(&s), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(thread_runs_entry_and_joins),
		cmocka_unit_test(lock_keeps_counter_exact_under_contention),
		cmocka_unit_test(guard_releases_on_every_path),
		cmocka_unit_test(only_owner_releases),
		cmocka_unit_test(cancel_interrupts_cancelable_acquire),
		cmocka_unit_test(plain_acquire_blocks_again_after_cancel),
		cmocka_unit_test(waiters_are_served_in_fifo_order),
		cmocka_unit_test(semaphore_counts),
		cmocka_unit_test(semaphore_hands_every_unit_to_one_waiter),
		cmocka_unit_test(cancel_interrupts_cancelable_down),
		cmocka_unit_test(plain_down_blocks_again_after_cancel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
