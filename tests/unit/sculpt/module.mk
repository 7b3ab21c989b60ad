# Unit tests of libsculpt (sculpt-cli/lib): composition, routing,
# generation and the plan's words, with a fake depot of pkg runtime files.
$(call unit_test,sculpt_lib,tests/unit/sculpt/test_sculpt.c,sculpt,)
# What sculpt records of a riscv target's machine and reads of core's
# answers (sculpt-cli/lib/machine.h), with hostile records.
$(call unit_test,sculpt_machine,tests/unit/sculpt/test_machine.c,sculpt,)
