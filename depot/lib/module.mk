# libdepot: recipes -> reproducible archives; fetch -> verify -> safe
# install; closures, garbage collection and integrity checks of a depot.
# Host side: links libarchive, libcurl, OpenSSL and cJSON, never libruntime;
# libformat (cJSON only) is where the pkg runtime file is specified.
DEPOT_LIB_SOURCES := $(wildcard depot/lib/*.c)
$(call library,depot,$(DEPOT_LIB_SOURCES),depot/lib/include,format,\
    -larchive -lcurl -lcrypto -lcjson -lpthread)
