# libgrow: the doubling growth of arrays (lib/grow/include/grow/grow.h).
# Depends on the C library only, so the kernel platform, libruntime
# (runtime/grow.h is this header), rpcgen and the host tools all link it.
$(call library,grow,lib/grow/grow.c,lib/grow/include,,)
