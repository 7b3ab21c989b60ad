/*
 * The riscv kernel's id of a domain that pd.h's kpd_create made: what
 * core on riscv names the domain by in the calls pd.h does not cover
 * (SYS_OUTPUT_READ, core/riscv/domain_output_ring.c). For the root alone,
 * as the rest of libkernel_pd.
 */
#ifndef RISCV_LIB_KPD_ID_H
#define RISCV_LIB_KPD_ID_H

#include <kernel/pd.h>

long kpd_kernel_id(const kpd_t *pd);

#endif
