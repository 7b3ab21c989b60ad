/*
 * A test helper shared by the protection-domain and core tests: the
 * program image of a file, copied into a fresh memory object as core's
 * ROM service would hand it to kpd_create(). Fails the calling cmocka test
 * on any error.
 */
#ifndef TESTS_UNIT_PD_IMAGE_H
#define TESTS_UNIT_PD_IMAGE_H

#include <kernel/kernel.h>

kcap_t image_of(const char *path);

#endif
