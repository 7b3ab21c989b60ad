# Unit test of core's split virtqueue on riscv (core/riscv/virtqueue.h),
# built for the host: a device played by the test, hostile indices and
# lengths refused. virtqueue.c is linked in as a source (nothing else on
# the host uses it).
$(call unit_test,rvvirtio_virtqueue,tests/unit/riscv_virtio/virtqueue_test.c core/riscv/virtqueue.c,,)
