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
#
# Order does not matter: the Makefile includes every module.mk it finds, in
# whatever order they sort, and a library may be used before it is declared.
# What a user takes from a library (include dirs, link line) is looked up
# lazily (recursive variables, expanded when a recipe runs), and the one
# thing make needs while reading, a binary's prerequisites on the archives it
# links, is added by resolve_declarations once every module.mk is included.
# It also makes every object wait (order-only) for every generated header
# (mk/rpc.mk), so an object that includes a generated *_rpc.h needs no
# hand-written prerequisite; the dependency files take over after the first
# build.

ALL_TARGETS :=
UNIT_TEST_NAMES :=   # every declared unit test, in every variant
ALL_DEPFILES :=
ALL_OBJECTS :=
GENERATOR_OBJS :=     # objects of the code generators (mk/rpc.mk)
ALL_LIBRARIES :=
ALL_BINARIES :=      # keys <dir>_<name> of the binaries of this variant
GENERATED_HEADERS := # appended to by the code generators (mk/rpc.mk)
LINT_SOURCES :=
LINT_INCLUDES :=

objects_of = $(patsubst %.c,$(O)/obj/%.o,$(1))
includes_of = $(foreach l,$(1),$($(l)_INC))
links_of = $(foreach l,$(1),$($(l)_LINK))
ldlibs_of = $(foreach l,$(1),$($(l)_LDLIBS))

define library_template
$(1)_OBJS := $$(call objects_of,$(2))
$(1)_USES := $(4)
$(1)_INC = $(3) $$(call includes_of,$(4))
$(1)_LIB := $$(O)/lib/lib$(1).a
$(1)_LINK = $$($(1)_LIB) $$(call links_of,$(4))
$(1)_LDLIBS = $(5) $$(call ldlibs_of,$(4))
$$($(1)_OBJS): INCLUDES = $$(addprefix -I,$$($(1)_INC))
$$($(1)_LIB): $$($(1)_OBJS)
	@mkdir -p $$(@D)
	@rm -f $$@
	$$(Q)$$(AR) rcs $$@ $$^
ALL_LIBRARIES += $(1)
ALL_OBJECTS += $$($(1)_OBJS)
ALL_DEPFILES += $$($(1)_OBJS:.o=.d)
LINT_SOURCES += $(filter-out $$(O)/%,$(2))
LINT_INCLUDES += $$(addprefix -I,$(3))
endef

# $(1) name, $(2) sources, $(3) libraries, $(4) system libs, $(5) output dir,
# $(6) extra link flags. The archives as prerequisites come later
# (resolve_declarations); the recipe looks the link line up when it runs.
define binary_template
$(5)_$(1)_OBJS := $$(call objects_of,$(2))
$(5)_$(1)_USES := $(3)
$(5)_$(1)_OUT := $$(O)/$(5)/$(1)
$$($(5)_$(1)_OBJS): INCLUDES = $$(addprefix -I,$$(call includes_of,$(3)))
$$(O)/$(5)/$(1): $$($(5)_$(1)_OBJS)
	@mkdir -p $$(@D)
	@echo "  LD      $$@"
	$$(Q)$$(CC) $$(LDFLAGS) $(6) -o $$@ $$($(5)_$(1)_OBJS) \
	    $$(call links_of,$(3)) $$(call ldlibs_of,$(3)) $(4)
ALL_TARGETS += $$(O)/$(5)/$(1)
ALL_BINARIES += $(5)_$(1)
ALL_OBJECTS += $$($(5)_$(1)_OBJS)
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

# Every module.mk below the top folder, at any depth (build/ holds outputs
# only): $(find_modules) in the Makefile.
modules_in = $(foreach d,$(1),\
    $(filter %/module.mk,$(d)) $(call modules_in,$(wildcard $(d)/*)))
find_modules = $(sort $(call modules_in,$(filter-out build,$(wildcard *))))

# Called once by the Makefile after every module.mk is included: refuses a
# library used but declared nowhere, gives each binary the archives it links
# as prerequisites, and makes every object wait (order-only) for every
# generated header, except the code generators' own objects
# (GENERATOR_OBJS), which the headers wait for.
undeclared_libraries = $(filter-out $(ALL_LIBRARIES),\
    $(sort $(foreach k,$(ALL_LIBRARIES) $(ALL_BINARIES),$($(k)_USES))))
resolve_declarations = $(if $(undeclared_libraries),$(error libraries \
    used but declared by no module.mk: $(undeclared_libraries)))$(foreach \
    k,$(ALL_BINARIES),$(eval $($(k)_OUT): $(call links_of,$($(k)_USES))))$(eval \
    $(filter-out $(GENERATOR_OBJS),$(sort $(ALL_OBJECTS))): \
    | $(GENERATED_HEADERS))
