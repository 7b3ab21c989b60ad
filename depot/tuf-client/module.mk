# tuf-conformance-client: the program the official TUF client conformance
# suite drives (see depot/tuf/README.md for running the suite by hand). It
# fetches through libdepot (depot/tuf_fetch.h), as `depot download` does.
$(call program,tuf-conformance-client,depot/tuf-client/main.c,depot tuf)
