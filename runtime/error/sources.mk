# libruntime's one error space (runtime/include/runtime/error.h): the words
# for every status of every module, runtime_strerror().
RUNTIME_SOURCES += runtime/error/error.c
