# Unit tests: each test/unit/test_<name>.c is one cmocka program linked
# against libsendmail.a, libsmdb.a and libsm.a.  `make unit` builds them all;
# ./Build test runs them.
UNIT_SRCS := $(wildcard test/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:test/unit/%.c=$(B)/test/unit/%)

# The fixtures several tests share (unit_util.c: temporary directories, the
# map fixture) form libunit.a, linked first: only the tests that call it
# pull it in.
UNIT_LIB := $(B)/test/unit/libunit.a

$(UNIT_LIB): $(B)/test/unit/unit_util.o
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(B)/test/unit/%: $(B)/test/unit/%.o $(UNIT_LIB) $(LIBSENDMAIL) $(LIBSMDB) $(LIBSM)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

unit: $(UNIT_BINS)
