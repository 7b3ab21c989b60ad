# kernel_pd: the privileged part of the kernel interface (kernel/pd.h),
# protection domains and their confinement. Only core links it.
$(call library,kernel_pd,$(addprefix kernel/linux/,pd.c confine.c memcg.c),\
    kernel/include,kernel,-lseccomp)
