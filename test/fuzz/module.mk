# Fuzz harnesses: each test/fuzz/fuzz_<name>.c is a libFuzzer target linked
# against the instrumented libraries.  Built only with FUZZ=1 (./Build fuzz).
FUZZ_SRCS := $(wildcard test/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:test/fuzz/%.c=$(B)/test/fuzz/%)

$(B)/test/fuzz/%: $(B)/test/fuzz/%.o $(LIBSENDMAIL) $(LIBSMDB) $(LIBSM)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

.PHONY: fuzz
fuzz: $(FUZZ_BINS)
