# The init probe, a test component that the init scenarios
# (tests/scenarios/2*-init-*.scenario) start as a child of init.
$(call program,init-probe,tests/scenarios/init/init_probe.c,runtime,-lcjson)
