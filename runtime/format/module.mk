# libformat: the formats that both sides read (the target's init and the host
# tools), starting with the runtime configuration. It depends only on cJSON,
# never on libruntime, so that host tools can link it. Its public headers are
# runtime/format/include/format/runtime_config.h, pkg_runtime.h (a pkg's
# runtime file, and a start entry merged with it: pkg_merge.c),
# pkg_archives.h (a pkg's archives file and the archives a pkg child's
# ROMs come from), plan.h (what applying a changed configuration does,
# shared by init and sculpt), state_report.h (init's state report) and
# remote.h (routes to other nodes, expanded into init's proxies);
# runtime/format/README.md is the formats' document.
FORMAT_SOURCES := $(addprefix runtime/format/, \
    parse.c json_text.c parse_context.c start_entry.c route_rule.c size.c references.c \
    model.c quota.c serialize.c pkg_runtime.c pkg_merge.c pkg_archives.c plan.c \
    state_report.c state_report_write.c state_report_parse.c remote_config.c \
    remote_expand.c state_report_remote.c)
$(call library,format,$(FORMAT_SOURCES),runtime/format/include,,-lcjson -lm)
