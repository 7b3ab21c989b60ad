# Unit tests of the riscv kernel's output ring (kernel/riscv/outring.c,
# plain bytes and indices, built for the host here).
$(call unit_test,riscv_outring,tests/unit/riscv_outring/outring_test.c \
    kernel/riscv/outring.c,,)
