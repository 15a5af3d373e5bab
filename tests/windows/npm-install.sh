#!/bin/sh
# npm-install.sh DEST: installs the PowerShell grammar the script checks
# parse with (web-tree-sitter and tree-sitter-powershell, pinned) into
# DEST/node_modules, once. Failing to install is not an error here: the
# checks then skip with the reason (exit 77).
set -u
dest=$1
mods=$dest/node_modules
if [ -f "$mods/tree-sitter-powershell/tree-sitter-powershell.wasm" ] &&
	[ -f "$mods/web-tree-sitter/web-tree-sitter.js" ]; then
	exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
	echo "npm-install.sh: npm is not installed" >&2
	exit 0
fi
mkdir -p "$dest"
npm install --prefix "$dest" --no-audit --no-fund --no-save --ignore-scripts \
	web-tree-sitter@0.27.2 tree-sitter-powershell@0.26.4 >&2 ||
	echo "npm-install.sh: npm install failed" >&2
exit 0
