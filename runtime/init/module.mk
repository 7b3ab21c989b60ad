# init: the component that starts the children of its config and routes
# their sessions (runtime/init/init.h). route.c/route.h (the routing
# decision) and reconfig.c/reconfig.h (the checks of a changed config, then
# libformat's plan, format/plan.h) are written with libformat; the rest is
# the program around them.
INIT_SOURCES := $(addprefix runtime/init/,main.c init.c init_policy.c \
    config_rom.c reconfig.c route.c init_pkg.c pkg_table.c child_state.c \
    state_report.c report_model.c restart_policy.c supervise.c ticker.c heartbeat.c \
    remote_route.c remote_link_word.c downgrade.c yield_plan.c)
$(call program,init,$(INIT_SOURCES),runtime format,)
$(call objects_of,$(INIT_SOURCES)): \
    $(foreach i,parent pd report rom root,$(O)/gen/$(i)_rpc.h)
