# OpenSSL for riscv64 components (pkg/remote/link on our kernel,
# tests/riscv/rt/tlslink.c): Debian's own source package of OpenSSL, which
# mk/deps.sh unpacks into RV_OPENSSL_SRC (mk/debian-source.sh), configured
# for riscv64-unknown-elf-gcc with picolibc and the components' flags
# (RV_ARCH, kernel/riscv/module.mk) and built once per build directory
# into $(O)/riscv/openssl/: libcrypto.a, libssl.a and the generated
# headers (include/, before the source's include/). The stamp makes a
# second `make all` cost nothing; a change of this file or of the source
# version builds it again from scratch.
#
# Lean: the libraries only (build_libs: no apps, no tests, no docs), and
# nothing a TLS 1.3 link with Ed25519 or ECDSA keys, X25519, AES-GCM,
# ChaCha20-Poly1305 and SHA-2 does not need. No threads (picolibc has no
# pthreads: a domain uses OpenSSL from one thread at a time), no sockets,
# files, DSOs, engines, async (ucontext) or secure heap (mmap). The seed
# source is getentropy() (--with-rand-seed=getrandom: rand_unix.c calls
# getentropy() when the program defines one; core/riscv/entropy.c does,
# over the virtio entropy device), never a clock. NO_SYSLOG: picolibc has
# no syslog.h (the BIO that logs to syslog is left out).
#
# Measured (2 cores, a loaded host): see pkg/remote/README.md, "On riscv".
RV_OPENSSL_SRC ?= /usr/local/src/openssl
RV_OPENSSL := $(O)/riscv/openssl
RV_OPENSSL_LIBS := $(RV_OPENSSL)/libssl.a $(RV_OPENSSL)/libcrypto.a
RV_OPENSSL_INCLUDES := -I$(RV_OPENSSL)/include -I$(RV_OPENSSL_SRC)/include
RV_OPENSSL_OPTIONS := no-asm no-shared no-pic no-threads no-dso no-sock \
    no-engine no-afalgeng no-ui-console no-tests no-async no-secure-memory \
    no-module no-autoload-config no-stdio no-posix-io no-makedepend \
    no-legacy no-ktls no-multiblock no-nextprotoneg no-rdrand no-egd \
    no-aria no-bf no-blake2 no-camellia no-cast no-cmac no-cms no-cmp \
    no-comp no-ct no-des no-dh no-dsa no-dtls no-ec2m no-gost no-idea \
    no-md4 no-mdc2 no-ocb no-ocsp no-psk no-rc2 no-rc4 no-rfc3779 no-rmd160 \
    no-scrypt no-seed no-siphash no-siv no-sm2 no-sm3 no-sm4 no-srp no-srtp \
    no-ssl3 no-tls1 no-tls1_1 no-ts no-whirlpool --with-rand-seed=getrandom

# The whole of OpenSSL's own build in one recipe: its make runs under this
# one's job server (-j2 stays -j2); its many lines go to build.log, shown
# when it fails.
$(RV_OPENSSL)/.built: mk/openssl-riscv.mk $(RV_OPENSSL_SRC)/debian-version \
    kernel/riscv/lib/include/sys/dirent.h
	@echo "  OPENSSL $(RV_OPENSSL) (Debian's $$(cat $(RV_OPENSSL_SRC)/debian-version), riscv64/picolibc)"
	$(Q)rm -rf $(RV_OPENSSL) && mkdir -p $(RV_OPENSSL)
	$(Q)cd $(RV_OPENSSL) && CC=$(RISCV_CC) AR=riscv64-unknown-elf-ar \
	    RANLIB=riscv64-unknown-elf-ranlib perl $(RV_OPENSSL_SRC)/Configure \
	    linux-generic64 --specs=picolibc.specs $(RV_ARCH) -O2 -DNO_SYSLOG \
	    -D_POSIX_TIMERS=1 -D_POSIX_MONOTONIC_CLOCK=200112L \
	    -I$(CURDIR)/kernel/riscv/lib/include $(RV_OPENSSL_OPTIONS) \
	    >build.log 2>&1 || { cat build.log; exit 1; }
	$(Q)+$(MAKE) -C $(RV_OPENSSL) build_libs >>$(RV_OPENSSL)/build.log 2>&1 || \
	    { tail -n 40 $(RV_OPENSSL)/build.log; \
	      echo "openssl-riscv: the build failed, all of it in $(RV_OPENSSL)/build.log"; exit 1; }
	$(Q)touch $@

$(RV_OPENSSL_LIBS): $(RV_OPENSSL)/.built
