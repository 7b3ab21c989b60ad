# Tests of pkg/remote's link library: the frame format (pure), the link
# over socketpairs (TLS pinning, hostile frames, credit, reconnection),
# and a fuzz target of the frame parser.
$(call unit_test,remote_frame,tests/unit/remote/frame_test.c,remote_link,)
$(call unit_test,remote_link,tests/unit/remote/link_test.c,remote_link,)
$(tests_remote_link_OBJS): INCLUDES += -Ipkg/remote/link
$(call fuzz_target,remote_frame_fuzz,tests/unit/remote/frame_fuzz.c,remote_link,)
