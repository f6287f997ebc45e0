# libsm: support library shared by every program (no mail knowledge).
LIBSM_SRCS := $(wildcard libsm/*.c)
LIBSM_OBJS := $(LIBSM_SRCS:%.c=$(B)/%.o)
LIBSM := $(B)/libsm.a

$(LIBSM): $(LIBSM_OBJS)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^
