# libruntime's utilities: strings, Token, Arg_string, List, AVL tree, FIFO,
# ELF parser, the report of a broken invariant, the words for a fault. (The doubling growth of
# arrays, runtime/grow.h, is lib/grow, which libruntime links.)
RUNTIME_SOURCES += $(addprefix runtime/util/, \
    str.c token.c arg_string.c list.c fifo.c avl.c elf.c invariant.c \
    fault_words.c)
