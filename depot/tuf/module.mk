# libtuf: The Update Framework 1.0 metadata, client workflow and repository
# side for the depot (host side; never links libruntime). One public header:
# depot/tuf/include/tuf.h.
TUF_SOURCES := $(addprefix depot/tuf/,json.c crypto.c metadata.c store.c error.c \
                 client.c check.c keys.c repo.c)
$(call library,tuf,$(TUF_SOURCES),depot/tuf/include,grow hex,-lcrypto)
