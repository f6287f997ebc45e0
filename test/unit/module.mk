# Unit tests: each test/unit/test_<name>.c is one cmocka program linked
# against libsendmail.a, libsmdb.a and libsm.a.  `make unit` builds them all;
# ./Build test runs them.
UNIT_SRCS := $(wildcard test/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:test/unit/%.c=$(B)/test/unit/%)

$(B)/test/unit/%: $(B)/test/unit/%.o $(LIBSENDMAIL) $(LIBSMDB) $(LIBSM)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

unit: $(UNIT_BINS)
