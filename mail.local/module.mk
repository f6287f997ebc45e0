# mail.local: the local delivery agent.  ml_parse.c holds the pure LMTP
# and address parsers (unit-tested by test/unit/test_maillocal.c).
MAILLOCAL_SRCS := $(wildcard mail.local/*.c)
MAILLOCAL_OBJS := $(MAILLOCAL_SRCS:%.c=$(B)/%.o)
MAILLOCAL_BIN := $(B)/bin/mail.local

$(MAILLOCAL_BIN): $(MAILLOCAL_OBJS) $(LIBSM)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

# The unit test has its own link rule (it overrides the generic one in
# test/unit/module.mk): the objects it tests and libsm, nothing else, so
# it builds while other modules are in progress.
$(B)/test/unit/test_maillocal: $(B)/test/unit/test_maillocal.o $(B)/mail.local/ml_parse.o $(LIBSM)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka

all: $(MAILLOCAL_BIN)
