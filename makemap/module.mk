# makemap: the companion program, linked with libsmdb and libsm.
MAKEMAP_SRCS := $(wildcard makemap/*.c)
MAKEMAP_OBJS := $(MAKEMAP_SRCS:%.c=$(B)/%.o)
MAKEMAP_BIN := $(B)/bin/makemap

$(MAKEMAP_BIN): $(MAKEMAP_OBJS) $(LIBSMDB) $(LIBSM)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

all: $(MAKEMAP_BIN)
