divert(-1)
dnl feature/use_client_ptr.m4 -- check_relay uses ${client_ptr}.
define(`_USE_CLIENT_PTR_', `1')
