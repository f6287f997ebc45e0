# smrsh: the restricted shell for the prog mailer.  smrsh_cmd.c holds the
# policy (unit-tested by test/unit/test_smrsh.c); smrsh.c is the program.
SMRSH_SRCS := $(wildcard smrsh/*.c)
SMRSH_OBJS := $(SMRSH_SRCS:%.c=$(B)/%.o)
SMRSH_BIN := $(B)/bin/smrsh

$(SMRSH_BIN): $(SMRSH_OBJS) $(LIBSM)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

# The unit test links the policy object directly.
$(B)/test/unit/test_smrsh: $(B)/smrsh/smrsh_cmd.o

all: $(SMRSH_BIN)
