# Unit and multi-process tests of the kernel interface on Linux, run under
# ASan+UBSan by `make test`.
$(call unit_test,kernel_thread_test,tests/unit/kernel/thread_test.c,kernel,)
