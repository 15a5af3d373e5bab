compile --color=never --target macos --print profile.sb,params.json,argv.json --cwd /Users/dev/repo --home /Users/dev --tmpdir=/var/folders/xy/T ../../../examples/legacy-read-only.toml
