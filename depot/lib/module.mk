# libdepot: recipes -> reproducible archives; fetch -> verify -> safe
# install; closures, garbage collection and integrity checks of a depot.
# Host side: links libarchive, libcurl, OpenSSL and cJSON, never libruntime.
DEPOT_LIB_SOURCES := $(wildcard depot/lib/*.c)
$(call library,depot,$(DEPOT_LIB_SOURCES),depot/lib/include,,\
    -larchive -lcurl -lcrypto -lcjson)
