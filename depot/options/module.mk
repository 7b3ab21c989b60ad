# liboptions: the option-table parser and generated --help of the host
# tools' subcommands, linked by `depot` (depot/tool) and `sculpt`
# (sculpt-cli), so both parse options, report wrong usage and print help
# the same way. Plain C, no library of the project below it.
$(call library,options,depot/options/options.c,depot/options/include,,)
