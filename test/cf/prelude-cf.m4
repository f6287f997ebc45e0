divert(-1)
# prelude-cf.m4: loads the tree under test for the test .mc files in mc/,
# which (unlike the examples in cf/cf) do not include cf.m4 themselves, so
# the same .mc can be built with any tree: -D_CF_DIR_=<tree>/ picks it.
divert(0)dnl
include(_CF_DIR_`m4/cf.m4')dnl
