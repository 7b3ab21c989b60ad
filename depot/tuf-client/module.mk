# tuf-conformance-client: the program the official TUF client conformance
# suite drives (see depot/tuf/README.md for running the suite by hand).
# depot/tuf-client/ sorts before depot/tuf/, so declare libtuf first.
include depot/tuf/module.mk
$(call program,tuf-conformance-client,$(addprefix depot/tuf-client/,main.c fetch_curl.c),tuf,-lcurl)
