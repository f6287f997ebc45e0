# sendmail: the MTA.  Every .c under sendmail/<module>/ goes into
# libsendmail.a (so unit tests can link it); sendmail/main.c is the program.
SENDMAIL_LIB_SRCS := $(wildcard sendmail/*/*.c)
SENDMAIL_LIB_OBJS := $(SENDMAIL_LIB_SRCS:%.c=$(B)/%.o)
# The delivery code counts into the statistics file (mailstats/mstats.h).
SENDMAIL_LIB_OBJS += $(B)/mailstats/mstats.o
LIBSENDMAIL := $(B)/libsendmail.a
SENDMAIL_BIN := $(B)/bin/sendmail

$(LIBSENDMAIL): $(SENDMAIL_LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(SENDMAIL_BIN): $(B)/sendmail/main.o $(LIBSENDMAIL) $(LIBSMDB) $(LIBSM)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The names Sendmail answers to.
SENDMAIL_LINKS := $(addprefix $(B)/bin/,newaliases mailq hoststat purgestat)
$(SENDMAIL_LINKS): $(SENDMAIL_BIN)
	ln -sf sendmail $@

all: $(SENDMAIL_BIN) $(SENDMAIL_LINKS)
