# Host programs the test drivers share (no suite of their own).
#   test-tcp-port  free TCP ports and a server that never answers
#                  (tests/tools/tcp_port.c)
$(call program,test-tcp-port,tests/tools/tcp_port.c,,)
