# mailstats: the statistics file library (mstats.c, mstats_cf.c, as
# libmailstats.a for the delivery code) and the mailstats program.
MAILSTATS_LIB_SRCS := mailstats/mstats.c mailstats/mstats_cf.c
MAILSTATS_LIB_OBJS := $(MAILSTATS_LIB_SRCS:%.c=$(B)/%.o)
LIBMAILSTATS := $(B)/libmailstats.a
MAILSTATS_BIN := $(B)/bin/mailstats

$(LIBMAILSTATS): $(MAILSTATS_LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(MAILSTATS_BIN): $(B)/mailstats/mailstats.o $(LIBMAILSTATS) $(LIBSM)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

# The unit test has its own link rule (it overrides the generic one in
# test/unit/module.mk): the objects it tests and libsm, nothing else, so
# it builds while other modules are in progress.
$(B)/test/unit/test_mailstats: $(B)/test/unit/test_mailstats.o $(MAILSTATS_LIB_OBJS) $(LIBSM)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka

all: $(MAILSTATS_BIN)
