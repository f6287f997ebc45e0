# editmap: the companion program, linked with libsmdb and libsm.
EDITMAP_SRCS := $(wildcard editmap/*.c)
EDITMAP_OBJS := $(EDITMAP_SRCS:%.c=$(B)/%.o)
EDITMAP_BIN := $(B)/bin/editmap

$(EDITMAP_BIN): $(EDITMAP_OBJS) $(LIBSMDB) $(LIBSM)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

all: $(EDITMAP_BIN)
