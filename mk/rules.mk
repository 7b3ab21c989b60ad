# Functions that module.mk files call to declare what they build. Each one
# compiles its sources into $(O)/obj/<path>.o with the include directories of
# the libraries it uses, and records the dependency files so that a changed
# header rebuilds what includes it.
#
#   $(call library,NAME,SOURCES,PUBLIC_INCLUDE_DIRS,LIBRARIES_USED,SYSTEM_LIBS)
#       builds $(O)/lib/libNAME.a; users of NAME get its include dirs and link
#       it, the libraries it uses and their system libraries, transitively.
#   $(call program,NAME,SOURCES,LIBRARIES_USED,SYSTEM_LIBS)
#       builds $(O)/bin/NAME (release and asan variants).
#   $(call unit_test,NAME,SOURCES,LIBRARIES_USED,SYSTEM_LIBS)
#       builds $(O)/tests/NAME, a cmocka test that tests/run runs (asan).
#   $(call bench_program,NAME,SOURCES,LIBRARIES_USED,SYSTEM_LIBS)
#       builds $(O)/bench/NAME (release variant only).
#   $(call fuzz_target,NAME,SOURCES,LIBRARIES_USED,SYSTEM_LIBS)
#       builds $(O)/fuzz/NAME with libFuzzer (fuzz variant only).
#
# A module's private headers sit beside its sources; the folder of each
# source is on the quoted-include path (-iquote) of that source, so a private
# header never shadows a system header of the same name.

ALL_TARGETS :=
UNIT_TEST_NAMES :=   # every declared unit test, in every variant
ALL_DEPFILES :=
LINT_SOURCES :=
LINT_INCLUDES :=

objects_of = $(patsubst %.c,$(O)/obj/%.o,$(1))
includes_of = $(foreach l,$(1),$($(l)_INC))
links_of = $(foreach l,$(1),$($(l)_LINK))
ldlibs_of = $(foreach l,$(1),$($(l)_LDLIBS))

define library_template
$(1)_OBJS := $$(call objects_of,$(2))
$(1)_INC := $(3) $$(call includes_of,$(4))
$(1)_LIB := $$(O)/lib/lib$(1).a
$(1)_LINK := $$($(1)_LIB) $$(call links_of,$(4))
$(1)_LDLIBS := $(5) $$(call ldlibs_of,$(4))
$$($(1)_OBJS): INCLUDES := $$(addprefix -I,$$($(1)_INC))
$$($(1)_LIB): $$($(1)_OBJS)
	@mkdir -p $$(@D)
	@rm -f $$@
	$$(Q)$$(AR) rcs $$@ $$^
ALL_DEPFILES += $$($(1)_OBJS:.o=.d)
LINT_SOURCES += $(filter-out $$(O)/%,$(2))
LINT_INCLUDES += $$(addprefix -I,$(3))
endef

# $(1) name, $(2) sources, $(3) libraries, $(4) system libs, $(5) output dir,
# $(6) extra link flags
define binary_template
$(5)_$(1)_OBJS := $$(call objects_of,$(2))
$$($(5)_$(1)_OBJS): INCLUDES := $$(addprefix -I,$$(call includes_of,$(3)))
$$(O)/$(5)/$(1): $$($(5)_$(1)_OBJS) $$(call links_of,$(3))
	@mkdir -p $$(@D)
	@echo "  LD      $$@"
	$$(Q)$$(CC) $$(LDFLAGS) $(6) -o $$@ $$($(5)_$(1)_OBJS) \
	    $$(call links_of,$(3)) $$(call ldlibs_of,$(3)) $(4)
ALL_TARGETS += $$(O)/$(5)/$(1)
ALL_DEPFILES += $$($(5)_$(1)_OBJS:.o=.d)
LINT_SOURCES += $(filter-out $$(O)/%,$(2))
endef

library = $(eval $(call library_template,$(1),$(2),$(3),$(4),$(5)))

program = $(if $(filter release asan,$(VARIANT)),\
    $(eval $(call binary_template,$(1),$(2),$(3),$(4),bin,)))
unit_test = $(eval UNIT_TEST_NAMES += $(1))$(if $(filter asan,$(VARIANT)),\
    $(eval $(call binary_template,$(1),$(2),$(3),$(4) -lcmocka,tests,)))
bench_program = $(if $(filter release,$(VARIANT)),\
    $(eval $(call binary_template,$(1),$(2),$(3),$(4),bench,)))
fuzz_target = $(if $(filter fuzz,$(VARIANT)),\
    $(eval $(call binary_template,$(1),$(2),$(3),$(4),fuzz,-fsanitize=fuzzer)))

$(O)/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(INCLUDES) -iquote $(dir $<) -c -o $@ $<
