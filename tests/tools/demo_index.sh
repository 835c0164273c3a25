#!/usr/bin/env bash
# demo_index.sh OUT: writes OUT/index.html, one section per chapter run found in OUT/NN_name/, with its
# metrics.json as a table and every PNG it wrote, each linked to the chapter's README. Run by `make demo`.
set -euo pipefail
out=${1:-out}
top=$(cd "$(dirname "$0")/../.." && pwd)
page="$out/index.html"
esc() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }

{
  printf '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>convlab demo report</title>\n'
  printf '<style>body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em}'
  printf 'table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}'
  printf 'img{max-width:100%%;border:1px solid #ddd;margin:4px 0}figure{margin:0 0 1em 0}'
  printf 'nav a{margin-right:1em}</style></head><body>\n'
  printf '<h1>convlab: every chapter in quick mode</h1>\n<p>Made by <code>make demo</code> on %s.</p>\n<nav>' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  for dir in "$out"/[0-9][0-9]_*/; do
    [ -d "$dir" ] || continue
    name=$(basename "$dir"); printf '<a href="#%s">%s</a>' "$name" "$name"
  done
  printf '</nav>\n'
  for dir in "$out"/[0-9][0-9]_*/; do
    [ -d "$dir" ] || continue
    name=$(basename "$dir")
    printf '<section id="%s"><h2>%s</h2>\n' "$name" "$name"
    readme="$top/chapters/$name/README.md"
    [ -f "$readme" ] && printf '<p><a href="%s">chapter README</a></p>\n' "$(realpath --relative-to="$out" "$readme")"
    if [ -f "$dir/metrics.json" ]; then
      printf '<table><tr><th>metric</th><th>value</th></tr>\n'
      # metrics.json is flat: "key": value pairs
      tr '{},' '\n\n\n' < "$dir/metrics.json" | { grep -E '^\s*"' || true; } | sed -E 's/^\s*"([^"]*)":\s*(.*[^,])\s*,?\s*$/\1\t\2/' | esc \
        | awk -F'\t' '{ gsub(/^"|"$/, "", $2); printf "<tr><td>%s</td><td>%s</td></tr>\n", $1, $2 }'
      printf '</table>\n'
    else
      printf '<p><b>no metrics.json</b></p>\n'
    fi
    find "$dir" -name '*.png' | sort | while read -r png; do
      rel=${png#"$out"/}; rel=${rel#/}
      printf '<figure><img src="%s" alt="%s"><figcaption>%s</figcaption></figure>\n' "$rel" "$rel" "$rel"
    done
    printf '</section>\n'
  done
  # On load, count the figures that really loaded; the page says so at the top (and the headless-Chromium
  # test reads data-images-loaded / data-images-total from the DOM).
  printf '<script>window.addEventListener("load", function () {\n'
  printf '  var imgs = document.images, ok = 0;\n'
  printf '  for (var i = 0; i < imgs.length; i++) if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;\n'
  printf '  document.body.setAttribute("data-images-loaded", ok);\n'
  printf '  document.body.setAttribute("data-images-total", imgs.length);\n'
  printf '  if (ok < imgs.length) document.body.insertAdjacentHTML("afterbegin",\n'
  printf '    "<p style=\\"color:red\\">" + (imgs.length - ok) + " figure(s) failed to load</p>");\n'
  printf '});</script>\n'
  printf '</body></html>\n'
} > "$page.tmp"
mv -f "$page.tmp" "$page"
echo "demo report: $page"
