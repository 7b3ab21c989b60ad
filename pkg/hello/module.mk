# hello: a component that logs the greeting of its config ROM and exits.
$(call program,hello,pkg/hello/hello.c,runtime,-lcjson)
