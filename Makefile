# The one entry point of the project: make, make run, make test, make bench,
# make clean. The build is non-recursive: every folder that builds something
# has a module.mk that declares its libraries, programs and tests with the
# functions of mk/rules.mk, and this file includes them all. Objects go to an
# out-of-tree directory per variant:
#
#   build/release  -O2, what `make`, `make run` and `make bench` use
#   build/asan     AddressSanitizer + UndefinedBehaviorSanitizer, what the
#                  unit tests run under in `make test`
#   build/fuzz     clang with libFuzzer, the fuzz targets
#
# A variant is chosen with VARIANT=...; the top-level targets call make again
# for the variant they need, so `make -j2 test` builds both in one command.

VARIANT ?= release
O := build/$(VARIANT)

include mk/flags.mk
include mk/rules.mk
# Further rule sets (code generators and the like), one file each.
include $(filter-out mk/flags.mk mk/rules.mk,$(wildcard mk/*.mk))

# Every module.mk of the tree, at any depth; their order does not matter
# (mk/rules.mk), so adding a module is dropping in a folder with its module.mk.
MODULES := $(find_modules)
include $(MODULES)

.DEFAULT_GOAL := all
.PHONY: all deps build-variant test bench run clean lint install depot-tree \
        format format-check format-verify

all: deps
	@$(MAKE) --no-print-directory VARIANT=release build-variant

build-variant: $(ALL_TARGETS)

deps:
	@sh mk/deps.sh

# `make test`: the release build (scenarios, end-to-end tests) and the
# sanitizer build (unit tests), then tests/run, which ends with the summary
# line `N passed, N failed`.
test: deps
	@$(MAKE) --no-print-directory VARIANT=release build-variant
	@$(MAKE) --no-print-directory VARIANT=asan build-variant
	@$(MAKE) --no-print-directory VARIANT=fuzz build-variant
	@printf '%s\n' $(UNIT_TEST_NAMES) > build/unit-tests.list
	@sh tests/run

bench: deps
	@$(MAKE) --no-print-directory VARIANT=release build-variant
	@sh tests/bench/run

# `make depot-tree`: the project's archives, every program built as a bin
# archive by `depot build`, published with generated keys into the signed
# tree build/depot-tree (mk/project-depot.sh; README.md, "Boot a target
# from a depot"). DEPOT_TREE_FLAGS passes options, e.g. --bump-in-copy on a
# branch whose recipes wait for their bump.
depot-tree: deps
	@$(MAKE) --no-print-directory VARIANT=release build-variant
	@sh mk/project-depot.sh $(DEPOT_TREE_FLAGS)

# `make run`: the depot tree above, served by a private nginx, a target
# booted from it by sculpt, then sculpt's interactive mode or, without a
# terminal, a scripted tour (mk/run.sh; README.md, "Two commands").
# DEPOT_TREE_FLAGS as for depot-tree. PLATFORM=qemu-riscv64: the same on
# a riscv64 machine under QEMU, booted from project/pkg/riscv_base.
run: deps
	@$(MAKE) --no-print-directory VARIANT=release build-variant
	@sh mk/run.sh $(if $(PLATFORM),--platform $(PLATFORM)) $(DEPOT_TREE_FLAGS)

# `make lint`: no kernel-interface call outside kernel/, core/, libruntime's
# library modules and tests/ (mk/kernel-calls.sh; runtime/init is checked),
# every C file in the style of .clang-format (mk/format.sh check), no dead
# global function in the release build's objects (mk/dead-functions.sh,
# exceptions in mk/dead-functions.allow), cppcheck
# over every source, then
# clang-tidy (.clang-tidy) on both cores (a minute or two; CI runs it after
# `make test`). Needs the generated headers of the release build.
lint:
	@sh mk/deps.sh lint
	@sh mk/kernel-calls.sh
	@sh mk/format.sh check
	@$(MAKE) --no-print-directory VARIANT=release build-variant
	@printf '%s\n' $(sort $(ALL_OBJECTS) $(GENERATOR_OBJS)) > $(O)/objects.list
	@sh mk/dead-functions.sh $(O)/objects.list
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr --std=c11 $(LINT_INCLUDES) $(LINT_SOURCES)
	@printf '%s\n' $(filter-out $(O)/%,$(LINT_SOURCES)) | xargs -P2 -n8 \
	  sh -c 'exec clang-tidy --quiet --warnings-as-errors="*" "$$@" -- \
	  -std=c17 -D_GNU_SOURCE $(LINT_INCLUDES) -I$(O)/gen \
	  $(addprefix -iquote ,$(sort $(dir $(LINT_SOURCES))))' clang-tidy

# `make format`: every C file in the one style of .clang-format (rewritten in
# place); `make format-check`: the files that differ, exit 1 if any (part of
# `make lint`); `make format-verify [FORMAT_REV=HEAD]`: after a format, every
# changed file differs from FORMAT_REV in whitespace only (mk/format.sh).
FORMAT_REV ?= HEAD
format:
	@sh mk/deps.sh lint
	@sh mk/format.sh apply
format-check:
	@sh mk/deps.sh lint
	@sh mk/format.sh check
format-verify:
	@sh mk/format.sh verify $(FORMAT_REV)

# `make install [PREFIX=/usr/local] [DESTDIR=]`: the host tools (depot,
# and sculpt where it is built, with riscv-console beside it for `sculpt
# boot --platform qemu-riscv64`) into PREFIX/bin, so they are on PATH.
PREFIX ?= /usr/local
HOST_TOOLS := $(filter $(O)/bin/depot $(O)/bin/sculpt $(O)/bin/riscv-console \
    $(O)/bin/riscv-push-rom $(O)/bin/riscv-push-archive,$(ALL_TARGETS))
install: all
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 0755 $(HOST_TOOLS) "$(DESTDIR)$(PREFIX)/bin/"

clean:
	rm -rf build

# Once every module.mk is in: what a binary links, and the generated
# headers every object waits for (mk/rules.mk).
$(resolve_declarations)

-include $(ALL_DEPFILES)
