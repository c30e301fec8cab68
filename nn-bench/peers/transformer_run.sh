#!/usr/bin/env bash
# PyTorch peer of org.jgrad.bench.TransformerBench: training tokens/s of the gpt example's transformer.
#   nn-bench/peers/transformer_run.sh small|large THREADS [transformer_bench.py options]
# Prints the figure four times: OPENBLAS_* as set / unset, each with glibc's default malloc and with
# MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=4294967296 MALLOC_TOP_PAD_=268435456 (big blocks
# stay in the heap instead of being mmapped and unmapped every step: faster PyTorch on these VMs).
# Compare against the fastest. OpenBLAS stays at 1 thread (PyTorch's pool already uses the cores).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
shape=${1:?small or large}; T=${2:?threads}; shift 2
tuned=(MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=4294967296 MALLOC_TOP_PAD_=268435456)
for blas in set unset; do
  unset_flags=(); [ "$blas" = unset ] && unset_flags=(-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
  env "${unset_flags[@]}" OMP_NUM_THREADS=$T OPENBLAS_NUM_THREADS=1 $PY "$here/transformer_bench.py" "$shape" "$T" "$@"
  env "${unset_flags[@]}" "${tuned[@]}" OMP_NUM_THREADS=$T OPENBLAS_NUM_THREADS=1 $PY "$here/transformer_bench.py" "$shape" "$T" "$@"
done
