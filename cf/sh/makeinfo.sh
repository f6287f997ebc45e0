#!/bin/sh
# makeinfo.sh -- print comment lines saying who built a sendmail.cf,
# where and when. Called by cf/m4/cfhead.m4 with the cf directory as $1;
# define _NO_MAKEINFO_ in the .mc (or with -D) to leave it out.
user=${USER:-${LOGNAME:-`id -un 2>/dev/null`}}
host=`uname -n 2>/dev/null`
when=`date 2>/dev/null`
dir=`pwd`
echo "#####  built by ${user:-unknown}@${host:-unknown} on ${when}"
echo "#####  in ${dir}"
echo "#####  using ${1:-.} as configuration include directory"
