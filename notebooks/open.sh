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

# DEFAULT gives the usual imports at the prompt, PRINTING adds print/println/printf; the
# notebook runs after them (notebooks themselves import what they use, so they run anywhere).
exec "$jshell" --add-modules jdk.incubator.vector -R--add-modules -Rjdk.incubator.vector \
    --class-path "$cp" --startup DEFAULT --startup PRINTING ${small[@]+"${small[@]}"} "$@" ${notebook:+"$notebook"}
