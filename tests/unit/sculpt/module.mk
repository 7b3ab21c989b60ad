# Unit tests of libsculpt (sculpt-cli/lib): composition, routing,
# generation and the plan's words, with a fake depot of pkg runtime files.
$(call unit_test,sculpt_lib,tests/unit/sculpt/test_sculpt.c,sculpt,)
