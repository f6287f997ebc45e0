# praliases: the companion program, linked with libsmdb and libsm.
PRALIASES_SRCS := $(wildcard praliases/*.c)
PRALIASES_OBJS := $(PRALIASES_SRCS:%.c=$(B)/%.o)
PRALIASES_BIN := $(B)/bin/praliases

$(PRALIASES_BIN): $(PRALIASES_OBJS) $(LIBSMDB) $(LIBSM)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

all: $(PRALIASES_BIN)
