#!/usr/bin/env bash
# Checks ./jgrad's class-data archive (AppCDS on JDK 17-24, the AOT cache on 25+) for one JDK
# (JAVA_HOME, else the java on the PATH): the first `train` records it, later runs use it and give
# the same numbers as a run without it, and a truncated or stale archive is never used.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run() { ./jgrad train --model mlp --epochs 1 --limit 512 --no-progress --out "$out/w.safetensors" 2>&1; }
numbers() { grep -E '^(epoch 0:|test:)' | sed 's/| [0-9.]*s, [0-9,]* samples\/s//'; }
fail() { echo "launcher-cds: $*"; exit 1; }
# what the JVM says about archives; JDK 25 ends a recording run with one line of its own, which no
# option turns off ("AOTConfiguration recorded: FILE"), so only that one is allowed
jvm_noise() { grep -iE 'warning\]|error\]|fatal|cds|aot' | grep -vE 'incubator|^ ?AOTConfiguration recorded: ' || true; }

./jgrad help > /dev/null                                  # compiles when needed, records nothing
dir=nn-examples/target/jgrad-cds
rm -f "$dir"/jdk*
plain=$(JGRAD_CDS=off run)
first=$(run)
echo "$first" | grep -q 'records a class-data archive' || fail "the first train run did not record an archive"
archive=""
for f in "$dir"/jdk*.jsa "$dir"/jdk*.aot; do [ -f "$f" ] && archive=$f; done
[ -n "$archive" ] && [ -s "$archive.size" ] || fail "no archive and size file after the recording run: $(ls "$dir")"
second=$(run)
echo "$second" | grep -q 'records' && fail "the second run recorded again instead of using $archive"
[ -z "$(echo "$second" | jvm_noise)" ] || fail "the JVM printed about the archive: $(echo "$second" | jvm_noise)"
[ "$(echo "$plain" | numbers)" = "$(echo "$second" | numbers)" ] || fail "other numbers with the archive:
$(echo "$plain" | numbers)
$(echo "$second" | numbers)"
# truncated (as by a full disk): not used, the run is normal and records a whole one again
head -c 4096 "$archive" > "$archive.cut" && mv "$archive.cut" "$archive"
third=$(run)
[ -z "$(echo "$third" | jvm_noise)" ] || fail "a truncated archive reached the JVM: $(echo "$third" | jvm_noise)"
[ "$(echo "$plain" | numbers)" = "$(echo "$third" | numbers)" ] || fail "other numbers after truncating the archive"
[ "$(wc -c < "$archive" | tr -d ' ')" = "$(cat "$archive.size")" ] && [ "$(cat "$archive.size")" -gt 4096 ] \
  || fail "the truncated archive was not recorded again"
# stale: a new build (the class path file rewritten) rebuilds the jars and drops the archive
touch nn-examples/target/jgrad.classpath
fourth=$(run)
echo "$fourth" | grep -q 'records a class-data archive' || fail "a new build did not record a new archive"
[ "$(echo "$plain" | numbers)" = "$(echo "$fourth" | numbers)" ] || fail "other numbers after a rebuild"
echo "launcher-cds: ok ($(basename "$archive"): recorded, used with the same numbers, truncated and stale ones not used)"
