divert(-1)
dnl feature/bestmx_is_local.m4 -- mail for hosts whose best MX is us is
dnl local. Argument: domains (class B) to limit the check to.
define(`_BESTMX_IS_LOCAL_', _ARG_)
LOCAL_CONFIG
Kbestmx bestmx
ifelse(defn(`_ARG_'), `', `dnl', `
CB`'_ARG_')
LOCAL_NET_CONFIG
ifelse(defn(`_ARG_'), `', `dnl
R$* < @ $* > $*			$: $1 < @ $2 @@ $(bestmx $2 $) > $3', `dnl
R$* < @ $* $=B . > $*		$: $1 < @ $2 $3 . @@ $(bestmx $2 $3 . $) > $4')
R$* $=O $* < @ $* @@ $=w . > $*	$@ $>Recurse $1 $2 $3
R< @ $* @@ $=w . > : $*		$@ $>Recurse $3
R$* < @ $* @@ $=w . > $*	$@ $>CanonLocal < $1 >
R$* < @ $* @@ $* > $*		$: $1 < @ $2 > $4
