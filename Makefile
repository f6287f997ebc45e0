# One non-recursive GNU make file.  Each directory adds its rules in a
# module.mk; objects go to $(B) (build/ by default, build-asan/ with SAN=1,
# build-fuzz/ with FUZZ=1).  Use ./Build rather than calling make directly.

SAN ?= 0
FUZZ ?= 0
CC ?= cc

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
BASEFLAGS := -std=c11 -D_GNU_SOURCE -I. -MMD -MP $(WARN)

ifeq ($(FUZZ),1)
B ?= build-fuzz
CC := clang
CFLAGS_MODE := -O1 -g -fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer -DSM_FUZZING
LDFLAGS_MODE := -fsanitize=address,undefined
else ifeq ($(SAN),1)
B ?= build-asan
CFLAGS_MODE := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
LDFLAGS_MODE := -fsanitize=address,undefined
else
B ?= build
CFLAGS_MODE := -O2 -g
LDFLAGS_MODE :=
endif

CFLAGS := $(BASEFLAGS) $(CFLAGS_MODE) $(EXTRA_CFLAGS)
LDFLAGS := $(LDFLAGS_MODE) $(EXTRA_LDFLAGS)
LDLIBS := -lresolv -lgdbm

.PHONY: all clean unit
all:

include libsm/module.mk
-include libsmdb/module.mk
include sendmail/module.mk
-include makemap/module.mk editmap/module.mk praliases/module.mk
-include mail.local/module.mk smrsh/module.mk mailstats/module.mk
include test/unit/module.mk
-include test/fuzz/module.mk

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(B) -name '*.d' 2>/dev/null)
