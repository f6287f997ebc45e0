divert(-1)
dnl feature/limited_masquerade.m4 -- masquerade only $=M, not $=w.
define(`_LIMITED_MASQUERADE_', `1')
