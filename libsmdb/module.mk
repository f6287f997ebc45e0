# libsmdb: the map database layer (GDBM files, minimal cf scan) used by
# makemap, editmap, praliases, the alias builder and the map classes.
LIBSMDB_SRCS := $(wildcard libsmdb/*.c)
LIBSMDB_OBJS := $(LIBSMDB_SRCS:%.c=$(B)/%.o)
LIBSMDB := $(B)/libsmdb.a

$(LIBSMDB): $(LIBSMDB_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

all: $(LIBSMDB)
