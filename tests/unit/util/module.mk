# Unit tests of libruntime's utilities (runtime/util/), cmocka under
# ASan/UBSan.
$(call unit_test,util_str,tests/unit/util/test_str.c,runtime,)
$(call unit_test,util_token,tests/unit/util/test_token.c,runtime,)
$(call unit_test,util_arg_string,tests/unit/util/test_arg_string.c,runtime,)
$(call unit_test,util_containers,tests/unit/util/test_containers.c,runtime,)
$(call unit_test,util_avl,tests/unit/util/test_avl.c,runtime,)
$(call unit_test,util_elf,tests/unit/util/test_elf.c,runtime,)
$(call unit_test,util_fault_words,tests/unit/util/test_fault_words.c,runtime,)
# libFuzzer targets of the two parsers of untrusted input (fuzz variant).
$(call fuzz_target,util_arg_string_fuzz,tests/unit/util/fuzz_arg_string.c,runtime,)
$(call fuzz_target,util_elf_fuzz,tests/unit/util/fuzz_elf.c,runtime,)
# The invariants asserted in the sanitizer build abort on corrupted data.
$(call unit_test,util_invariant,tests/unit/util/test_invariant.c,runtime,)
