# The `depot` command: one file per subcommand (cmd_*.c), dispatched by the
# table in main.c; everything it does goes through libdepot.
$(call program,depot,$(wildcard depot/tool/*.c),depot options,)
