# OpenSSL for riscv64 components (pkg/remote/link on our kernel,
# tests/riscv/rt/tlslink.c): Debian's own source package of OpenSSL, which
# mk/deps.sh unpacks into RV_OPENSSL_SRC (mk/debian-source.sh), configured
# for riscv64-unknown-elf-gcc with picolibc and the components' flags
# (RV_ARCH, mk/riscv-arch.mk) and built once per build directory into
# $(O)/riscv/openssl/: libcrypto.a, libssl.a and the generated headers
# (include/, before the source's include/). The stamp makes a second
# `make all` cost nothing; a change of this file or of the source version
# builds it again from scratch.
#
# In a depot build it comes built instead (RV_OPENSSL_BIN): src/openssl_
# riscv's depot build (recipes/src/openssl_riscv: this file, mk/riscv-
# arch.mk and libkernel's headers, with a Makefile of its own) makes the
# bin archive riscv64/openssl_riscv of the three, and a build that links
# OpenSSL extracts it into build/openssl_riscv (`use bin/openssl_riscv
# build/openssl_riscv`, recipes/README.md). So a depot tree builds OpenSSL
# once, and keeps it while those few files stay the same, instead of once
# in every build that links it (~6 min each).
#
# Reproducible (a second depot build is bit-identical): no path of the
# build tree enters the libraries (libkernel's headers by a relative path,
# no debug information; OpenSSL's own sources by their fixed path under
# RV_OPENSSL_SRC), and crypto/buildinf.h's date is SOURCE_DATE_EPOCH's, 0
# (OpenSSL_version(OPENSSL_BUILT_ON) says 1970); ar is deterministic.
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
RV_OPENSSL_BIN := build/openssl_riscv
ifneq ($(wildcard $(RV_OPENSSL_BIN)/libcrypto.a),)
RV_OPENSSL := $(RV_OPENSSL_BIN)
else
RV_OPENSSL := $(O)/riscv/openssl
endif
RV_OPENSSL_LIBS := $(RV_OPENSSL)/libssl.a $(RV_OPENSSL)/libcrypto.a
RV_OPENSSL_INCLUDES := -I$(RV_OPENSSL)/include -I$(RV_OPENSSL_SRC)/include
# The tree's top seen from $(RV_OPENSSL), where OpenSSL's make runs.
RV_OPENSSL_TOP := $(subst $() ,,$(patsubst %,../,$(subst /, ,$(RV_OPENSSL))))
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
# when it fails. CC is given to it again: a depot build's command line
# names the host's CC, which would reach OpenSSL's make through MAKEFLAGS.
ifneq ($(RV_OPENSSL),$(RV_OPENSSL_BIN))
$(RV_OPENSSL)/.built: mk/openssl-riscv.mk mk/riscv-arch.mk \
    $(RV_OPENSSL_SRC)/debian-version kernel/riscv/lib/include/sys/dirent.h
	@echo "  OPENSSL $(RV_OPENSSL) (Debian's $$(cat $(RV_OPENSSL_SRC)/debian-version), riscv64/picolibc)"
	$(Q)rm -rf $(RV_OPENSSL) && mkdir -p $(RV_OPENSSL)
	$(Q)cd $(RV_OPENSSL) && CC=$(RISCV_CC) AR=riscv64-unknown-elf-ar \
	    RANLIB=riscv64-unknown-elf-ranlib perl $(RV_OPENSSL_SRC)/Configure \
	    linux-generic64 --specs=picolibc.specs $(RV_ARCH) -O2 -DNO_SYSLOG \
	    -D_POSIX_TIMERS=1 -D_POSIX_MONOTONIC_CLOCK=200112L \
	    -I$(RV_OPENSSL_TOP)kernel/riscv/lib/include $(RV_OPENSSL_OPTIONS) \
	    >build.log 2>&1 || { cat build.log; exit 1; }
	$(Q)+SOURCE_DATE_EPOCH=0 $(MAKE) -C $(RV_OPENSSL) build_libs CC=$(RISCV_CC) \
	    >>$(RV_OPENSSL)/build.log 2>&1 || \
	    { tail -n 40 $(RV_OPENSSL)/build.log; \
	      echo "openssl-riscv: the build failed, all of it in $(RV_OPENSSL)/build.log"; exit 1; }
	$(Q)touch $@

$(RV_OPENSSL_LIBS): $(RV_OPENSSL)/.built
endif
