divert(-1)
dnl version.m4 -- the configuration version ($Z), optionally with a site tag
divert(0)
# configuration version
DZ8.17.1.9`'ifdef(`confCF_VERSION', `/confCF_VERSION')
