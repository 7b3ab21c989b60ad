# The scenario probe, a test component installed as boot module `init` by
# the scenario harness (tests/scenarios/lib.sh). A component links
# libruntime, which provides its main().
# Its platform part is probe_linux.c (tests/riscv/module.mk builds it for
# riscv64 with probe_riscv.c).
$(call program,scenario-probe,tests/scenarios/components/probe.c \
    tests/scenarios/components/probe_rom.c \
    tests/scenarios/components/probe_linux.c,runtime,)
$(call objects_of,tests/scenarios/components/probe.c \
    tests/scenarios/components/probe_rom.c \
    tests/scenarios/components/probe_linux.c): \
    $(addprefix $(O)/gen/,pd_rpc.h cpu_rpc.h rom_rpc.h)
# The output probe writes to its stdout and stderr for the scenarios of
# core's capture of domain output (tests/scenarios/3*-output-*.scenario).
$(call program,output-probe,tests/scenarios/components/output_probe.c,runtime,-lcjson)
# state-report-check reads init's state report as host tools do, linking
# libformat only (tests/scenarios/38-init-state-report.scenario).
$(call program,state-report-check,tests/scenarios/state_report_check.c,format,)
# The hostile probe tries to hold more than its quota (shared memory,
# socket buffers, threads, reports) for tests/scenarios/41-hostile-*.
# Its platform part is hostile_linux.c (tests/riscv/module.mk builds it
# for riscv64 with hostile_riscv.c).
$(call program,hostile-probe,tests/scenarios/components/hostile_probe.c \
    tests/scenarios/components/hostile_linux.c,runtime,-lcjson)
$(call objects_of,tests/scenarios/components/hostile_probe.c): \
    $(O)/gen/report_rpc.h
# The Counter client of the remote RPC scenarios (70-remote-rpc): page,
# signal and increments through whatever Counter it is routed to, and the
# reconnection path after a failed call.
$(call program,rpc-probe,tests/scenarios/components/rpc_probe.c \
    $(call rpc_source,counter_session),runtime,)
# The Vault server and client of the remote capability scenario
# (71-remote-caps): objects made by a server, called, handed back, revoked.
$(call rpc_interface,vault,tests/scenarios/components/vault.rpc)
$(call program,vault-server,tests/scenarios/components/vault_server.c \
    $(call rpc_source,vault),runtime,)
$(call program,vault-probe,tests/scenarios/components/vault_probe.c \
    $(call rpc_source,vault),runtime,)
