# Unit tests of libruntime's threads, lock and semaphore (runtime/thread/),
# cmocka under ASan/UBSan, on the kernel library's threads.
$(call unit_test,thread_sync,tests/unit/thread/test_thread.c,runtime,)
