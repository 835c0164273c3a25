#!/usr/bin/env bash
# check_layers.sh [ROOT]: fails, naming the file and the include, when an #include "..." in src/ or chapters/
# points up the layers of docs/architecture.md. Run by `make test`.
#
#   0 core   1 kernels   2 ops (and src/convlab.hpp)   3 nn   4 optim, io, data, face, nets   5 app   6 chapters
#
# A file may include its own layer and the layers below it. Within the chapters the number counts too: a
# chapter may include an earlier chapter (04 -> 01), never a later one (01 -> 03). tests/ may include anything.
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root"

# layer of a path inside the repository (src/core/x.hpp) or of an include ("core/x.hpp", "chapters/...")
layer_of() {
  case "$1" in
    src/core/* | core/*) echo 0 ;;
    src/kernels/* | kernels/*) echo 1 ;;
    src/ops/* | ops/* | src/convlab.hpp | convlab.hpp) echo 2 ;;
    src/nn/* | nn/*) echo 3 ;;
    src/optim/* | optim/* | src/io/* | io/* | src/data/* | data/* | src/face/* | face/* | src/nets/* | nets/*) echo 4 ;;
    src/app/* | app/*) echo 5 ;;
    chapters/*) echo 6 ;;
    *) echo "?" ;;
  esac
}
# the folder a path or an include names: src/face/x.hpp -> face, ops/x.hpp -> ops, chapters/... -> chapters
folder_of() {
  local p=${1#src/}
  echo "${p%%/*}"
}
bad=0
include_re='^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]+)"'
chapter_re='^chapters/([0-9]+)_'
while IFS=: read -r file _ line; do
  [[ $line =~ $include_re ]] || continue
  inc=${BASH_REMATCH[1]}
  from=$(layer_of "$file")
  to=$(layer_of "$inc")
  if [ "$to" = "?" ]; then
    echo "check_layers: $file includes \"$inc\", which is in no layer (expected core/, kernels/, ops/, nn/, optim/, io/, data/, face/, nets/, app/ or chapters/)"
    bad=1
  elif [ "$to" -gt "$from" ]; then
    echo "check_layers: $file includes \"$inc\": $(folder_of "$file") (layer $from) may not include $(folder_of "$inc") (layer $to)"
    bad=1
  elif [ "$from" = 6 ] && [ "$to" = 6 ]; then
    [[ $file =~ $chapter_re ]] && here=${BASH_REMATCH[1]}
    [[ $inc =~ $chapter_re ]] && there=${BASH_REMATCH[1]}
    if [ "$((10#$there))" -gt "$((10#$here))" ]; then
      echo "check_layers: $file includes \"$inc\": chapter $here may not include chapter $there, a later one"
      bad=1
    fi
  fi
done < <(find src chapters \( -name '*.cpp' -o -name '*.hpp' \) -print0 | sort -z | xargs -0 grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' || true)

if [ "$bad" = 0 ]; then
  echo "check_layers: every include in src/ and chapters/ points down"
fi
exit "$bad"
