# mail.local: the local delivery agent.  ml_parse.c holds the pure LMTP
# and address parsers (unit-tested by test/unit/test_maillocal.c).
MAILLOCAL_SRCS := $(wildcard mail.local/*.c)
MAILLOCAL_OBJS := $(MAILLOCAL_SRCS:%.c=$(B)/%.o)
MAILLOCAL_BIN := $(B)/bin/mail.local

$(MAILLOCAL_BIN): $(MAILLOCAL_OBJS) $(LIBSM)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

# The unit test links the parser object directly.
$(B)/test/unit/test_maillocal: $(B)/mail.local/ml_parse.o

all: $(MAILLOCAL_BIN)
