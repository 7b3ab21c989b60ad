# The riscv64 cross compiler and the ISA every riscv64 object of the
# project is built for: the kernel and the components (kernel/riscv/
# module.mk, tests/riscv/module.mk) and OpenSSL for them (mk/openssl-
# riscv.mk). A file of its own so that src/openssl_riscv's depot build,
# which has no more of the build system than it needs (recipes/src/
# openssl_riscv/Makefile), compiles for the very same ISA.
RISCV_CC ?= riscv64-unknown-elf-gcc
RV_ARCH := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -mno-relax
