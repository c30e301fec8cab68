#!/usr/bin/env bash
# The course as Jupyter notebooks: makes notebooks/NAME.ipynb from notebooks/NAME.jsh (the one
# source; org.jgrad.notebook.Convert cuts it into cells at its comment headings) and runs each one
# top to bottom through jgrad's kernel with Jupyter's own client (jupyter nbconvert --execute), so
# the .ipynb holds its outputs (text, tensors, figures inline) and reads on GitHub.
#
#   notebooks/build.sh                     every notebook, the course's settings, written in place
#                                          (and each one's last figure as notebooks/figures/NAME.png)
#   notebooks/build.sh 05-cnn-filters      some of them
#   notebooks/build.sh --small ...         the shorter runs (-Djgrad.small=true) that NotebooksTest uses
#   notebooks/build.sh --check ...         CI: small runs into a temporary folder, nothing written here;
#                                          fails on the first cell with an error output
#
# Needs Jupyter's nbconvert and nbclient (Debian: apt-get install jupyter-nbconvert python3-nbclient);
# without them it says so and exits 3. The kernel spec comes from ./jgrad notebook --spec and is
# given to Jupyter through JUPYTER_PATH, so the user's own Jupyter set-up is not touched.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

small=false check=false names=()
for arg in "$@"; do
    case "$arg" in
        --small) small=true ;;
        --check) check=true; small=true ;;
        -h|--help) sed -n '2,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
        -*) echo "build.sh: unknown option $arg" >&2; exit 2 ;;
        *) names+=("${arg%.jsh}") ;;
    esac
done
if [[ ${#names[@]} == 0 ]]; then
    for f in "$here"/*.jsh; do names+=("$(basename "$f" .jsh)"); done
fi
sources=()
for n in "${names[@]}"; do
    n=$(basename "$n")
    [[ -f "$here/$n.jsh" ]] || { echo "build.sh: no notebook notebooks/$n.jsh" >&2; exit 2; }
    sources+=("$here/$n.jsh")
done

if ! command -v jupyter > /dev/null || ! jupyter nbconvert --version > /dev/null 2>&1; then
    echo "build.sh: Jupyter's nbconvert and nbclient are not installed (Debian: apt-get install jupyter-nbconvert python3-nbclient)" >&2
    exit 3
fi

spec="$("$root/jgrad" notebook --spec)"
cp="$(cat "$root/nn-notebook/target/jgrad-notebook.classpath")"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
log="$(mktemp)"
if $check; then out="$(mktemp -d)"; trap 'rm -rf "$out" "$log"' EXIT; else out="$here"; trap 'rm -f "$log"' EXIT; fi
"$java_bin" -cp "$cp" org.jgrad.notebook.Convert "$out" "${sources[@]}"

opts=""
$small && opts="-Djgrad.small=true"
for n in "${names[@]}"; do
    n=$(basename "$n")
    start=$(date +%s)
    # nbconvert stops at the first cell with an error output and exits non-zero; the kernel sends
    # one for a snippet that does not compile, throws or refers to something undefined
    if ! JUPYTER_PATH="$spec" JGRAD_NOTEBOOK_OPTS="$opts" jupyter nbconvert --to notebook --execute --inplace \
            --ExecutePreprocessor.timeout=1800 --ExecutePreprocessor.kernel_name=jgrad "$out/$n.ipynb" > "$log" 2>&1; then
        cat "$log" >&2
        echo "build.sh: notebook $n failed in Jupyter (above)" >&2
        exit 1
    fi
    # the notebook's last figure as notebooks/figures/NAME.png, for pages that cannot show an
    # .ipynb (the README shows notebook 05's filters)
    $check || python3 - "$out/$n.ipynb" "$here/figures/$n.png" <<'PY'
import base64, json, os, sys
figures = [o["data"]["image/png"] for c in json.load(open(sys.argv[1], encoding="utf-8"))["cells"]
           for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
if figures:
    os.makedirs(os.path.dirname(sys.argv[2]), exist_ok=True)
    with open(sys.argv[2], "wb") as f:
        f.write(base64.b64decode("".join(figures[-1]) if isinstance(figures[-1], list) else figures[-1]))
PY
    echo "build.sh: $n ran through the jgrad kernel in $(( $(date +%s) - start ))s$($check || echo ", written to notebooks/$n.ipynb")"
done
