#!/bin/bash
# Pruned-trial benchmark (issue 24, item 3; docs/benchmarks-gp-bo.md): gp-bo without early stopping, with the median
# rule and with ASHA, and random search, on the learning-curve objective of io.sextant.engine.bo.LearningCurves
# (in process, the API's ask/tell loop and stopping rules); then Optuna's TPE without pruning, with MedianPruner and
# with HyperbandPruner on the same objective: at the same number of trials, and at the step budgets gp-bo spent with
# median and with ASHA (median over seeds). Usage: benchmarks/gp-bo/pruned.sh [seeds=0,1,...] [trials=40] [steps=20]
set -e
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
cd "$(dirname "$0")/../.."
mvn -q -B -o -pl search-engine test-compile
# the class path: Smile and commons-math3 from the local repository (the dependency plugin may not resolve offline)
CP="search-engine/target/classes:search-engine/target/test-classes:$(ls ~/.m2/repository/com/github/haifengl/smile-*/*/*.jar \
  ~/.m2/repository/org/apache/commons/commons-math3/*/*.jar | tr '\n' ':')"
OUT=$(mktemp)
echo "# $(date -u '+%Y-%m-%d %H:%M UTC') commit $(git rev-parse --short HEAD), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CP" io.sextant.engine.bo.PrunedBenchmark "$@" | tee "$OUT"
median=$(sed -n 's/^gp-bo median: .*median steps \([0-9]*\) .*/\1/p' "$OUT")
asha=$(sed -n 's/^gp-bo asha: .*median steps \([0-9]*\) .*/\1/p' "$OUT")
/usr/bin/python3 benchmarks/gp-bo/pruned_optuna.py "$@"
/usr/bin/python3 benchmarks/gp-bo/pruned_optuna.py "$@" budget="$median" pruners=median,hyperband
/usr/bin/python3 benchmarks/gp-bo/pruned_optuna.py "$@" budget="$asha" pruners=median,hyperband
rm -f "$OUT"
