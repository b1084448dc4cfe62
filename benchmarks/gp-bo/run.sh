#!/bin/bash
# gp-bo benchmark: regret (10 seeds) and suggest latency. Usage: benchmarks/gp-bo/run.sh [regret] [latency]
# [acq=..] [seeds=..] [fn=..] [sizes=..], or run.sh cholesky [sizes=..] (pure-Java vs LAPACK factorization)
set -e
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
cd "$(dirname "$0")/../.."
mvn -q -B -pl search-engine test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
CP="search-engine/target/classes:search-engine/target/test-classes:$(cat search-engine/target/bench.cp)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CP" io.sextant.engine.bo.BoBenchmark "$@"
