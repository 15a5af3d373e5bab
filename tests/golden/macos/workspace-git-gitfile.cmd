compile --color=never --target macos --probe --print profile.sb,params.json,argv.json -P :workspace --cwd /var/tmp/sbxc-macos-git/gitfile -W /var/tmp/sbxc-macos-git --home /Users/dev --tmpdir=
