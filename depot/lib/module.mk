# libdepot: recipes -> reproducible archives; fetch -> verify -> safe
# install; closures, garbage collection and integrity checks of a depot;
# the trust layer's use of libtuf (trust, download, publish).
# Host side: links libtuf, libformat (where the pkg runtime file is
# specified), libgrow (lib/grow), libarchive, libcurl, OpenSSL and cJSON,
# never libruntime.
DEPOT_LIB_SOURCES := $(wildcard depot/lib/*.c)
$(call library,depot,$(DEPOT_LIB_SOURCES),depot/lib/include,tuf format grow hex,\
    -larchive -lcurl -lcrypto -lcjson -lpthread)
