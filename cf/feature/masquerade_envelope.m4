divert(-1)
dnl feature/masquerade_envelope.m4 -- masquerade (and genericstable)
dnl the envelope too.
define(`_MASQUERADE_ENVELOPE_', `1')
