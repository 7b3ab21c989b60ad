# Unit test of core's split virtqueue on riscv (core/riscv/virtqueue.h),
# built for the host: a device played by the test, hostile indices and
# lengths refused.
$(call library,rvvirtqueue,core/riscv/virtqueue.c,core/riscv,,)
$(call unit_test,rvvirtio_virtqueue,tests/unit/riscv_virtio/virtqueue_test.c,rvvirtqueue,)
