#!/usr/bin/env bash
# Runs the JMH micro-benchmarks of the relay's hot path (src/test/java/**/*Benchmark.java).
# Arguments go to JMH, e.g. bench/jmh.sh RelayHotPathBenchmark.preparedRoundTrip -prof gc
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/jmh.classpath)" org.openjdk.jmh.Main "${@:-RelayHotPathBenchmark}"
