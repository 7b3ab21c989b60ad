# Helpers of the depot end-to-end suite (run-suite) and unit tests: a
# writer of good and hostile test archives, and its command-line front.
$(call library,depot_hostile,tests/depot/hostile.c,tests/depot,depot,-larchive)
$(call program,depot-mkhostile,tests/depot/mkhostile.c,depot_hostile,)
$(call fuzz_target,depot_pkg_files_fuzz,tests/depot/fuzz_pkg_files.c,depot,)
$(call fuzz_target,depot_extract_fuzz,tests/depot/fuzz_extract.c,depot,)
