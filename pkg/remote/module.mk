# pkg/remote: sessions across machines (pkg/remote/README.md). So far the
# link library: mutual TLS with pinned keys, frames, per-channel credit and
# reconnection. It links no libruntime, so host tools and tests use it as
# well as the proxies of later sessions.
REMOTE_LINK_SOURCES := $(addprefix pkg/remote/link/,frame.c identity.c tls.c \
    link.c reconnect.c stream_fd.c)
$(call library,remote_link,$(REMOTE_LINK_SOURCES),pkg/remote/link/include,,\
    -lssl -lcrypto)
# A link over a stream capability of core's Net service, for components.
$(call library,remote_kstream,pkg/remote/kstream/stream_cap.c,\
    pkg/remote/kstream/include,remote_link kernel,)
