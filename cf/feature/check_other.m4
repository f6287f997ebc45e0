divert(-1)
dnl feature/check_other.m4 -- check_other ruleset: drop the session when
dnl an unknown command matches a regex (default: looks like a header).
define(`CHKORX', ifelse(defn(`_ARG_'), `', ``^[[:print:]]+ *:'', `defn(`_ARG_')'))
LOCAL_CONFIG
ifelse(defn(`CHKORX'), `', `', `dnl
Kbadcmd regex -m -a<BADCMD> defn(`CHKORX')')
LOCAL_RULESETS
Scheck_other
R$* $| 2	$@ ok
ifelse(defn(`CHKORX'), `', `', `dnl
R$+ $| 5	$: $(badcmd $1 $)
R$*<BADCMD>	$#error $@ 4.7.0 $: 421 bad command')
