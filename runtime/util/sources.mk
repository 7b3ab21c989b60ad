# libruntime's utilities: strings, Token, Arg_string, List, AVL tree, FIFO,
# ELF parser, the report of a broken invariant, doubling growth of arrays.
RUNTIME_SOURCES += $(addprefix runtime/util/, \
    str.c token.c arg_string.c list.c fifo.c avl.c elf.c invariant.c grow.c)
