compile --color=never --target macos --probe --print profile.sb,params.json,argv.json -P :workspace --cwd /var/tmp/sbxc-macos-git/gitdir --home /Users/dev --tmpdir=
