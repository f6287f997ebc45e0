divert(-1)
dnl feature/notsticky.m4 -- the historical default; does nothing.
