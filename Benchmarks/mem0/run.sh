#!/usr/bin/env bash
# mem0 parity harness: installs mem0ai into a private environment outside the repo (cached),
# builds rerank-eval, and runs parity.py.
#
#   bash Benchmarks/mem0/run.sh check      # parity of messages, scores, order, top_k (CI runs this)
#   bash Benchmarks/mem0/run.sh speed      # wall time and peak memory side by side (BENCHMARKS.md)
#   bash Benchmarks/mem0/run.sh clarity    # what each reports when calls fail (README)
#
# RERANKBENCH_MEM0_VENV overrides where the environment lives (default ~/.cache/rerankbench/mem0-venv).
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${RERANKBENCH_MEM0_VENV:-$HOME/.cache/rerankbench/mem0-venv}
MEM0_VERSION=2.2.1

if ! "$VENV/bin/python" -c "import mem0, importlib.metadata as m; assert m.version('mem0ai') == '$MEM0_VERSION'" >/dev/null 2>&1; then
    echo "installing mem0ai $MEM0_VERSION into $VENV (once; later runs reuse it)"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "mem0ai==$MEM0_VERSION"
fi

config=debug
[ "${1:-check}" = "speed" ] && config=release
swift build -c "$config" --product rerank-eval >/dev/null
BIN=$(swift build -c "$config" --show-bin-path)/rerank-eval
export MEM0_TELEMETRY=False
unset OPENROUTER_API_KEY OPENAI_BASE_URL
python3 Benchmarks/mem0/parity.py "${1:-check}" --rerank-eval "$BIN" "${@:2}"
