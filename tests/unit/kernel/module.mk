# Unit and multi-process tests of the kernel interface on Linux, run under
# ASan+UBSan by `make test`.
$(call unit_test,kernel_thread_test,tests/unit/kernel/thread_test.c,kernel,)
$(call unit_test,kernel_ipc_test,tests/unit/kernel/ipc_test.c \
    tests/unit/kernel/ksupport.c,kernel,)
$(call unit_test,kernel_forgery_test,tests/unit/kernel/forgery_test.c \
    tests/unit/kernel/ksupport.c,kernel,)
$(call unit_test,kernel_malformed_test,tests/unit/kernel/malformed_test.c \
    tests/unit/kernel/ksupport.c,kernel,)
$(call unit_test,kernel_mem_test,tests/unit/kernel/mem_test.c \
    tests/unit/kernel/ksupport.c,kernel,)
$(call unit_test,kernel_signal_test,tests/unit/kernel/signal_test.c \
    tests/unit/kernel/ksupport.c,kernel,)
$(call unit_test,kernel_waitset_test,tests/unit/kernel/waitset_test.c \
    tests/unit/kernel/ksupport.c,kernel,)
$(call unit_test,kernel_cost_test,tests/unit/kernel/cost_test.c,kernel,)
$(call unit_test,kernel_limits_test,tests/unit/kernel/limits_test.c \
    tests/unit/kernel/ksupport.c,kernel,)
$(call unit_test,kernel_process_test,tests/unit/kernel/process_test.c,kernel,)
