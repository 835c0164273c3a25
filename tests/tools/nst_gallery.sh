#!/bin/sh
# tests/tools/nst_gallery.sh DATA OUT [IT256] [IT512] [ITFIXED]: the style-transfer gallery (docs/nst-gallery.md), six
# content x style pairs of DATA/nst (3 photos x 5 paintings, none of them the tuning pair tubingen x
# starry_night), each painted by chapter 09 with the embedded network:
#   <pair>_256.png          at 256 px, IT256 iterations (the default network at 256 px)
#   <pair>_512.png          at 512 px, the default: coarse-to-fine, IT512 iterations from <pair>_256.png
#                           upsampled, on the pyramid deepened for 512 px
#   <pair>_512_fixed.png    at 512 px straight from the content, ITFIXED iterations, on the pyramid as tuned at
#                           256 px (--pyramid fixed --start-size 0): the embedded network without either change
# and OUT/times.md, one table row per pair with the seconds per iteration of each run (from metrics.json).
# make gallery DATA=dir [OUT=dir] [IT256=n] [IT512=n] [ITFIXED=n] runs it (defaults 100, 20, 100).
set -e
data=$1
out=$2
it256=${3:-100}
it512=${4:-20}
itfixed=${5:-100}
bin=${NST_BIN:-build/bin/09_neural_style_transfer}
[ -d "$data/nst/content" ] || { echo "nst_gallery: $data/nst/content: no such folder (DATA=the shared data folder)"; exit 1; }
mkdir -p "$out"
# seconds_per_iteration of a run's metrics.json, 3 significant digits
spi() { sed -n 's/^  "seconds_per_iteration": \([0-9.e+-]*\),*$/\1/p' "$1/metrics.json" | awk '{printf "%.3g", $1}'; }
printf '| content | style | s/iter 256 px | s/iter 512 px (from 256) | s/iter 512 px fixed pyramid |\n' >"$out/times.md"
printf '|---|---|---|---|---|\n' >>"$out/times.md"
for pair in tubingen:the_scream tubingen:wave golden_gate:shipwreck golden_gate:composition_vii \
            hoovertowernight:starry_night hoovertowernight:wave; do
    c=${pair%%:*}
    s=${pair#*:}
    name=${c}_${s}
    common="--content $data/nst/content/$c.jpg --style $data/nst/style/$s.jpg --save-every 0 --print-every 20"
    echo "=== $name"
    $bin $common --image-size 256 --iterations "$it256" --out "$out/run_${name}_256" --output "$out/${name}_256.png"
    $bin $common --image-size 512 --start-size 0 --init-image "$out/${name}_256.png" --iterations "$it512" \
        --out "$out/run_${name}_512" --output "$out/${name}_512.png"
    $bin $common --image-size 512 --start-size 0 --pyramid fixed --iterations "$itfixed" \
        --out "$out/run_${name}_512_fixed" --output "$out/${name}_512_fixed.png"
    printf '| %s | %s | %s | %s | %s |\n' "$c" "$s" "$(spi "$out/run_${name}_256")" "$(spi "$out/run_${name}_512")" \
        "$(spi "$out/run_${name}_512_fixed")" >>"$out/times.md"
done
echo "nst_gallery: pictures and times.md in $out"
