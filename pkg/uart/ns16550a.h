/*
 * The ns16550a UART's registers (byte offsets from its base) and the bits
 * its drivers use: pkg/uart (the component) and tests/riscv/rt/uart.c
 * (the kernel's own user-level driver test) both drive QEMU virt's.
 */
#ifndef NS16550A_H
#define NS16550A_H

#define RBR 0   /* receive buffer (read) */
#define THR 0   /* transmit holding (write) */
#define IER 1   /* interrupt enable */
#define MCR 4   /* modem control */
#define LSR 5   /* line status */
#define IER_RX   0x01u
#define MCR_OUT2 0x08u   /* routes the interrupt on PC-style boards */
#define LSR_DR   0x01u   /* data ready */
#define LSR_THRE 0x20u   /* room to transmit */

#endif
