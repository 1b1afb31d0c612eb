#!/usr/bin/env bash
# Runs the JMH benchmarks and prints Markdown tables of samples per second.
#
#   benchmarks/run.sh                 everything (about 25 minutes)
#   benchmarks/run.sh Training -p task=mnist-b64     any JMH arguments (a benchmark regex first)
#
# Build first: mvn -B -ntp -q install -DskipTests (from the repository root).
# Pin to one core for single-thread numbers: taskset -c 1 benchmarks/run.sh ...
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/chainrule-benchmarks.jar"
[ -f "$jar" ] || { echo "build first: mvn -B -ntp -q install -DskipTests" >&2; exit 1; }
out="$here/target/jmh-results.csv"
java -jar "$jar" "${@:-.*}" -rf csv -rff "$out"
java -cp "$jar" dev.chainrule.benchmarks.BenchmarkTable "$out"
