# Unit tests of libdepot (cmocka, run under ASan+UBSan by `make test`).
DEPOT_TU := tests/unit/depot/testutil.c
$(call unit_test,depot_archive_test,tests/unit/depot/test_archive.c $(DEPOT_TU),depot,-larchive)
$(call unit_test,depot_install_test,tests/unit/depot/test_install.c $(DEPOT_TU),depot_hostile depot,-larchive)
$(call unit_test,depot_recipe_test,tests/unit/depot/test_recipe.c $(DEPOT_TU),depot,)
$(call unit_test,depot_pkg_test,tests/unit/depot/test_pkg.c,depot,)
$(call unit_test,depot_closure_test,tests/unit/depot/test_closure.c $(DEPOT_TU),depot,)
$(call unit_test,depot_fetch_test,tests/unit/depot/test_fetch.c $(DEPOT_TU),depot,-lcrypto)
# Trust (publish, trust import, metadata refresh); the network paths are in
# tests/depot-trust/run-suite.
DEPOT_TRUST_TU := tests/unit/depot/trustutil.c $(DEPOT_TU)
$(call unit_test,depot_publish_test,tests/unit/depot/test_publish.c $(DEPOT_TRUST_TU),depot,)
$(call unit_test,depot_trust_test,tests/unit/depot/test_trust.c $(DEPOT_TRUST_TU),depot,)
$(call unit_test,depot_download_test,tests/unit/depot/test_download.c tests/unit/depot/httpd.c $(DEPOT_TRUST_TU),depot,-lpthread)
$(call unit_test,depot_build_test,tests/unit/depot/test_build.c tests/unit/depot/httpd.c $(DEPOT_TU),depot,-lpthread)
$(call unit_test,depot_stream_install_test,tests/unit/depot/test_stream_install.c $(DEPOT_TU),depot_hostile depot,-larchive -lcrypto)
