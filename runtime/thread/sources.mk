# libruntime's threads and synchronization: threads, lock, semaphore, and
# the wait queue they share.
RUNTIME_SOURCES += $(addprefix runtime/thread/, \
    thread.c wait_queue.c lock.c semaphore.c)
