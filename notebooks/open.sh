#!/usr/bin/env bash
# Opens JShell with jgrad on the class path and, optionally, runs a notebook first, leaving
# you at the jshell> prompt with everything it defined.
#
#   notebooks/open.sh                           a plain JShell with jgrad
#   notebooks/open.sh 01-tensors-autodiff       a notebook by name (or give a path to a .jsh)
#   notebooks/open.sh --small 06-training-fashion-mnist    shorter runs (-Djgrad.small=true; before or after the name)
#   notebooks/open.sh 03-mlp-spiral -R-Xmx2g    options after the notebook go to jshell
#   notebooks/open.sh --class-path              print the class path and exit
#
# Compiles the project first when needed (through ../jgrad --classpath). Uses $JAVA_HOME/bin/jshell when JAVA_HOME is set, else jshell from the PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

usage() {
    sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
    echo "notebooks:"
    for f in "$here"/*.jsh; do echo "  $(basename "$f" .jsh)"; done
}

small=() print_cp=false notebook=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --small) small=(-R-Djgrad.small=true); shift ;;
        --class-path) print_cp=true; shift ;;
        -*) break ;;   # jshell options
        *)
            for candidate in "$1" "$here/$1" "$here/$1.jsh"; do
                if [[ -f "$candidate" ]]; then notebook="$candidate"; break; fi
            done
            if [[ -z "$notebook" ]]; then
                echo "open.sh: no notebook '$1' (neither a file nor notebooks/$1.jsh)" >&2
                usage >&2
                exit 2
            fi
            shift
            break ;;
    esac
done

# --small may also come after the notebook, among the jshell options (jshell would reject it)
rest=()
for arg in "$@"; do
    if [[ "$arg" == --small ]]; then small=(-R-Djgrad.small=true); else rest+=("$arg"); fi
done
set -- ${rest[@]+"${rest[@]}"}

# The class path comes from ../jgrad, which compiles the project when a source or pom changed.
cp="$("$root/jgrad" --classpath)"

if $print_cp; then echo "$cp"; exit 0; fi

jshell="${JAVA_HOME:+$JAVA_HOME/bin/}jshell"
if ! command -v "$jshell" > /dev/null; then
    echo "open.sh: no jshell found (looked for '$jshell'); install a JDK 17 or newer or set JAVA_HOME" >&2
    exit 1
fi

cat >&2 <<EOF
jgrad is on the class path. For a JShell session of your own, from $root:
  jshell --add-modules jdk.incubator.vector -R--add-modules -Rjdk.incubator.vector \\
         --class-path "\$(./jgrad --classpath)"
EOF
[[ -n "$notebook" ]] && echo "running $(basename "$notebook") ..." >&2

# JShell's own JVM (its compiler; jgrad runs in a second JVM) starts faster from a class-data
# archive of the classes it loads, one per JDK: recorded when the first session with that JDK
# ends, used by the later ones (measured, a short notebook: 3.8-4.2 s -> 3.3-3.5 s on JDK 17,
# 4.7-4.9 s -> 3.1-3.7 s on 25). Never required: JGRAD_CDS=off, no archive or a half-written
# one (the size must match the one recorded beside it; JDK 17 would crash on it) give a plain start.
cds=() record=""
if [[ "${JGRAD_CDS:-on}" != off ]]; then
    jdk_home=$(dirname "$(dirname "$(readlink -f "$(command -v "$jshell")")")")
    version=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$jdk_home/release" 2>/dev/null || true)
    if [[ -n "$version" ]] && mkdir -p "$root/nn-examples/target/jgrad-cds" 2>/dev/null; then
        archive="$root/nn-examples/target/jgrad-cds/jshell-jdk$version-$(echo "$jdk_home" | cksum | cut -d' ' -f1).jsa"
        if [[ -s "$archive" && "$(wc -c < "$archive" | tr -d ' ')" == "$(cat "$archive.size" 2>/dev/null)" ]]; then
            cds=(-J-XX:SharedArchiveFile="$archive" -J-Xshare:auto -J-Xlog:cds=off -J-Xlog:cds+dynamic=off)
        else
            record="$archive.tmp.$$"
            cds=(-J-XX:ArchiveClassesAtExit="$record" -J-Xlog:cds=off -J-Xlog:cds+dynamic=off)
        fi
    fi
fi

# DEFAULT gives the usual imports at the prompt, PRINTING adds print/println/printf; the
# notebook runs after them (notebooks themselves import what they use, so they run anywhere).
args=(--add-modules jdk.incubator.vector -R--add-modules -Rjdk.incubator.vector
      --class-path "$cp" --startup DEFAULT --startup PRINTING ${small[@]+"${small[@]}"} "$@" ${notebook:+"$notebook"})
if [[ -z "$record" ]]; then exec "$jshell" ${cds[@]+"${cds[@]}"} "${args[@]}"; fi
# the recording session: the archive is written when JShell exits, under this process's own name,
# and renamed into place (with its size beside it) only after a normal exit
trap 'rm -f "$record"' EXIT
rc=0
"$jshell" "${cds[@]}" "${args[@]}" || rc=$?
if [[ "$rc" == 0 && -s "$record" ]]; then
    wc -c < "$record" | tr -d ' ' > "$archive.size.tmp.$$" && mv "$record" "$archive" && mv "$archive.size.tmp.$$" "$archive.size"
fi
exit "$rc"
