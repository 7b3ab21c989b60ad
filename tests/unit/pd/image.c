/* The image_of() test helper (image.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "image.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

kcap_t image_of(const char *path)
{
	int file = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(file >= 0);
	struct stat st;
	assert_int_equal(fstat(file, &st), 0);
	kcap_t mem;
	assert_int_equal(kmem_create((size_t)st.st_size, &mem), 0);
	void *at;
	assert_int_equal(kmem_map(mem, 0, (size_t)st.st_size,
	                          KMEM_READ | KMEM_WRITE, NULL, &at),
	                 0);
	assert_int_equal(read(file, at, (size_t)st.st_size), st.st_size);
	assert_int_equal(kmem_unmap(at, (size_t)st.st_size), 0);
	close(file);
	return mem;
}
