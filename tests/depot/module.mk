# Helpers of the depot end-to-end suite (run-suite) and unit tests: a
# writer of good and hostile test archives, and its command-line front.
$(call library,depot_hostile,tests/depot/hostile.c,tests/depot,depot,-larchive)
$(call program,depot-mkhostile,tests/depot/mkhostile.c,depot_hostile,)
