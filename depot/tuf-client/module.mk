# tuf-conformance-client: the program the official TUF client conformance
# suite drives (see depot/tuf/README.md for running the suite by hand). It
# fetches through libdepot (depot/tuf_fetch.h), as `depot download` does;
# depot/lib/ sorts before depot/tuf-client/, so libdepot (and with it
# libtuf) is declared already.
$(call program,tuf-conformance-client,depot/tuf-client/main.c,depot tuf)
