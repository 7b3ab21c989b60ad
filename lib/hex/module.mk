# libhex: bytes as hexadecimal text and back (lib/hex/include/hex/hex.h).
# Depends on the C library only: libruntime, libtuf, libdepot, core and the
# remote link all link it.
$(call library,hex,lib/hex/hex.c,lib/hex/include,,)
