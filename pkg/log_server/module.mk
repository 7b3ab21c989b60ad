# pkg/log_server: a LOG service that tags and forwards its clients' lines.
LOG_SERVER_SOURCES := pkg/log_server/main.c
$(call program,log_server,$(LOG_SERVER_SOURCES),runtime,)
