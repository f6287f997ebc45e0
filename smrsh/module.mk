# smrsh: the restricted shell for the prog mailer.  smrsh_cmd.c holds the
# policy (unit-tested by test/unit/test_smrsh.c); smrsh.c is the program.
SMRSH_SRCS := $(wildcard smrsh/*.c)
SMRSH_OBJS := $(SMRSH_SRCS:%.c=$(B)/%.o)
SMRSH_BIN := $(B)/bin/smrsh

$(SMRSH_BIN): $(SMRSH_OBJS) $(LIBSM)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

# The unit test has its own link rule (it overrides the generic one in
# test/unit/module.mk): the objects it tests and libsm, nothing else, so
# it builds while other modules are in progress.
$(B)/test/unit/test_smrsh: $(B)/test/unit/test_smrsh.o $(B)/smrsh/smrsh_cmd.o $(LIBSM)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka

all: $(SMRSH_BIN)
