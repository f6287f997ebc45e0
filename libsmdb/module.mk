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

# Test and benchmark helpers (test/maps/tool_*.c; not installed).  The
# alias helper links the alias objects directly, not libsendmail.a, so it
# builds while other sendmail modules are in progress.
$(B)/test/maps/tool_lookup: $(B)/test/maps/tool_lookup.o $(LIBSMDB) $(LIBSM)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# (alias_rules.c needs the rulesets: it is for the sendmail binary only.)
ALIAS_OBJS := $(filter-out %/alias_rules.o,$(patsubst %.c,$(B)/%.o,$(wildcard sendmail/alias/*.c)))
$(B)/test/maps/tool_alias: $(B)/test/maps/tool_alias.o $(ALIAS_OBJS) $(LIBSMDB) $(LIBSM)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

all: $(B)/test/maps/tool_lookup $(B)/test/maps/tool_alias
