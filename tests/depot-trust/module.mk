# The trust end-to-end suite (run-suite: keygen, publish, trust import and
# download through nginx, and the attacks TUF stops) and its helper that
# forges stale or under-signed metadata.
$(call program,depot-tufcraft,tests/depot-trust/tufcraft.c,tuf,-lcjson)
