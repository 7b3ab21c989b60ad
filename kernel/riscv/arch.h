/*
 * The riscv64 machine as the kernel sees it: the memory map of QEMU's
 * `virt` board, the Sv39 address-space layout the kernel chooses, and the
 * control and status registers it reads and writes. Every constant that
 * names a physical address of the board or a bit of a CSR lives here and
 * nowhere else, so moving to another board means editing this one file
 * (until the device tree is parsed, see README.md).
 *
 * Invariants kept by the whole kernel:
 *   - the kernel runs in S-mode with sstatus.SIE clear: it is never
 *     interrupted and never preempted; interrupts reach it only from U-mode;
 *   - sscratch holds the current thread's trap frame while a thread runs in
 *     U-mode, and 0 while the kernel runs (entry.S tells the two apart by it);
 *   - physical memory is mapped 1:1 in every address space, supervisor only,
 *     so the kernel reaches any frame by its physical address.
 */
#ifndef RISCV_ARCH_H
#define RISCV_ARCH_H

#include <stdint.h>

/* --- the virt board ---------------------------------------------------- */

#define RAM_BASE        0x80000000ul
#define RAM_SIZE        (128ul << 20)      /* qemu -m 128M, see the suite */
#define KERNEL_BASE     0x80200000ul       /* where OpenSBI jumps */
/* The boot module, an ELF image that QEMU's generic loader puts here
 * (-device loader,file=...,addr=0x87000000,force-raw=on). The window is
 * all the kernel trusts about its size; the image is hostile input. It
 * ends where QEMU puts the device tree with 128 MiB of RAM: at the last
 * 2 MiB boundary below RAM's end that leaves room for it, 0x87e00000
 * (OpenSBI passes it on in a1); kmain refuses to boot when the device
 * tree lies inside the window (less RAM). 14 MiB: a node's core, init
 * and the four remote proxies of its base pkg, stripped, take ~11 MB. */
#define MODULE_BASE     0x87000000ul
#define MODULE_MAX      (14ul << 20)
#define FINISHER_BASE   0x00100000ul       /* sifive,test1: exit QEMU */
#define CLINT_BASE      0x02000000ul       /* the timer, OpenSBI's */
#define PLIC_BASE       0x0c000000ul       /* interrupt controller, the kernel's */
#define PLIC_SIZE       0x04000000ul
#define UART0_BASE      0x10000000ul       /* ns16550a, a driver's (IRQ 10) */
#define UART0_IRQ       10u
/* virtio-mmio transports: VIRTIO_MMIO_COUNT pages from VIRTIO_MMIO_BASE,
 * transport i on interrupt VIRTIO_MMIO_IRQ + i. QEMU gives a -device the
 * free transport of highest address first. Core drives a virtio console
 * found there as its control channel (core/riscv/virtio_console.c). */
#define VIRTIO_MMIO_BASE  0x10001000ul
#define VIRTIO_MMIO_COUNT 8u
#define VIRTIO_MMIO_IRQ   1u
#define TIMEBASE_HZ     10000000ul         /* virt's timebase-frequency */

/* --- Sv39 layout ---------------------------------------------------------- */

#define PAGE_SIZE       4096ul
#define PAGE_SHIFT      12
/* A user address space is the second gigabyte of virtual memory: the first
 * (device registers) and the third (RAM) are the kernel's, supervisor only,
 * shared by every address space through the root table. */
#define USER_BASE       0x40000000ul
#define USER_TOP        0x80000000ul
#define USER_STACK_PAGES 16ul
#define USER_STACK_TOP  USER_TOP
#define USER_STACK_BASE (USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE)
/* Below the stack one unmapped guard page that ELF segments may not use. */
#define USER_IMAGE_TOP  (USER_STACK_BASE - PAGE_SIZE)
/* A second, larger user window above RAM's gigabyte, for what programs
 * map themselves (memory objects: libruntime's heap reserves 4 GiB of
 * address space). Program images and the stack stay in the first. */
#define USER_HIGH_BASE  0x100000000ul      /* 4 GiB */
#define USER_HIGH_TOP   0x2000000000ul     /* 128 GiB */
/* Its last gigabyte is the kernel's: the registered IPC buffers of the
 * domain's threads (ipcbuf.h), one IPCBUF_BYTES slot per thread slot.
 * Memory objects are never mapped there. */
#define USER_IPCBUF_BASE 0x1fc0000000ul    /* 127 GiB */

/* --- CSR bits ----------------------------------------------------------- */

#define SSTATUS_SIE     (1ul << 1)
#define SSTATUS_SPIE    (1ul << 5)
#define SSTATUS_SPP     (1ul << 8)
#define SSTATUS_SUM     (1ul << 18)

#define SIE_STIE        (1ul << 5)
#define SIE_SEIE        (1ul << 9)
#define SIP_STIP        (1ul << 5)
#define SIP_SEIP        (1ul << 9)

#define SCAUSE_INTERRUPT (1ul << 63)
#define IRQ_S_TIMER     5ul
#define IRQ_S_EXTERNAL  9ul
#define EXC_INSN_MISALIGNED  0ul
#define EXC_ILLEGAL_INSN     2ul
#define EXC_ECALL_U          8ul
#define EXC_INSN_PAGE_FAULT  12ul
#define EXC_LOAD_PAGE_FAULT  13ul
#define EXC_STORE_PAGE_FAULT 15ul

#define SATP_SV39       (8ul << 60)

#define csr_read(csr) ({ uint64_t v_; \
	__asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, val) \
	__asm__ volatile("csrw " #csr ", %0" :: "rK"((uint64_t)(val)) : "memory")
#define csr_set(csr, bits) \
	__asm__ volatile("csrs " #csr ", %0" :: "rK"((uint64_t)(bits)) : "memory")

static inline void sfence_vma(void)
{
	__asm__ volatile("sfence.vma zero, zero" ::: "memory");
}

#endif /* RISCV_ARCH_H */
