# Compiler and flags per build variant (see the top of the Makefile).

ifeq ($(origin CC),default)
CC := gcc
endif
AR := ar

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 \
            -Wno-unused-parameter

# CHECKS: the INVARIANT() assertions of runtime/invariant.h, on wherever
# the sanitizers are.
ifeq ($(VARIANT),release)
OPT := -O2 -g
SAN :=
CHECKS :=
else ifeq ($(VARIANT),asan)
OPT := -O1 -g -fno-omit-frame-pointer
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
CHECKS := -DRUNTIME_INVARIANTS
else ifeq ($(VARIANT),fuzz)
CC := clang
OPT := -O1 -g -fno-omit-frame-pointer
SAN := -fsanitize=fuzzer-no-link,address,undefined
CHECKS := -DRUNTIME_INVARIANTS
else
$(error unknown VARIANT '$(VARIANT)': use release, asan or fuzz)
endif

CFLAGS := -std=c17 -D_GNU_SOURCE -MMD -MP -fPIE $(WARNINGS) $(OPT) $(SAN) \
          $(CHECKS)
LDFLAGS := -pie $(SAN) -pthread

# Quiet output unless V=1.
ifeq ($(V),1)
Q :=
else
Q := @
endif
