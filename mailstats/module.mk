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

# The unit test links the library objects directly.
$(B)/test/unit/test_mailstats: $(MAILSTATS_LIB_OBJS)

all: $(MAILSTATS_BIN)
