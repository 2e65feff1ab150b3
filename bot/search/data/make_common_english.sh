#!/usr/bin/env bash
# Regenerate common-english.txt.gz from SCOWL (Debian package 'scowl'): every
# all-lowercase word of the American and British lists up to size 50, i.e. the
# ordinary English vocabulary, without proper names or abbreviations.
#   apt-get install scowl && bash bot/search/data/make_common_english.sh
set -euo pipefail
cd "$(dirname "$0")"
src=/usr/share/dict/scowl
lists=()
for size in 10 20 35 40 50; do
  for kind in english american british; do
    [ -f "$src/$kind-words.$size" ] && lists+=("$src/$kind-words.$size")
  done
done
cat "${lists[@]}" | LC_ALL=C grep -E '^[a-z]+$' | LC_ALL=C sort -u | gzip -9n > common-english.txt.gz
echo "wrote $(zcat common-english.txt.gz | wc -l) words to common-english.txt.gz"
