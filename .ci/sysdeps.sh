#!/usr/bin/env bash
# Install the Debian packages the book, the PDF build and the browser tests need, when
# missing: gmt-dcw holds the country outlines of the border chapter's map. Packages named
# as arguments replace the list (`make book` asks for gmt-dcw alone).
set -euo pipefail
packages=(texlive-xetex texlive-latex-extra texlive-fonts-recommended texlive-fonts-extra
          latexmk xindy fonts-freefont-otf poppler-utils chromium gmt-dcw)
[ $# -gt 0 ] && packages=("$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm installs axe-core for the accessibility test (any npm will do, Debian's or Node's own).
[ $# -gt 0 ] || command -v npm >/dev/null || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them as root:  apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
