#!/bin/sh
# Learning-curve parity with the reference trainer (issue 13, item 1): MASS pre-training and supervised MT,
# ours vs microsoft/MASS MASS-unsupNMT on the same data, initial weights and batches.
# Usage: scripts/parity/learning-curves.sh [learning_curves.py flags]   (see docs/parity-training.md)
# Needs: npm run build; Debian python3-torch and python3-matplotlib; microsoft/MASS's MASS-unsupNMT
# (src/ and train.py) in --ref-src (default /tmp/massref/MASS-unsupNMT).
set -e
cd "$(dirname "$0")/../.."
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=1 nice -n 10 /usr/bin/python3 scripts/parity/learning_curves.py "$@"
