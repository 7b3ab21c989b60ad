# Unit tests of libtuf (depot/tuf/): canonical JSON, key types and
# signatures, the client against attacks, the repository side. The tests
# that build hostile metadata use libtuf's private headers (depot/tuf/).
$(call unit_test,tuf-json,tests/unit/tuf/test_json.c,tuf,)
$(call unit_test,tuf-client,$(addprefix tests/unit/tuf/,test_client.c fixture.c),tuf,-lcrypto)
$(tests_tuf-client_OBJS): INCLUDES += -Idepot/tuf
$(call unit_test,tuf-keys,tests/unit/tuf/test_keys.c,tuf,-lcrypto)
$(tests_tuf-keys_OBJS): INCLUDES += -Idepot/tuf
$(call unit_test,tuf-repo,$(addprefix tests/unit/tuf/,test_repo.c fixture.c),tuf,-lcrypto)
$(tests_tuf-repo_OBJS): INCLUDES += -Idepot/tuf
