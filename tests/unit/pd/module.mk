$(call program,test-confine-probe,tests/unit/pd/confine_probe.c,kernel,-pthread)
$(call unit_test,pd_test,tests/unit/pd/pd_test.c tests/unit/pd/image.c,kernel_pd,)
$(call unit_test,pd_control_test,tests/unit/pd/pd_control_test.c tests/unit/pd/image.c,kernel_pd,)
$(call unit_test,forbid_open_test,tests/unit/pd/forbid_open_test.c,kernel,-pthread)
