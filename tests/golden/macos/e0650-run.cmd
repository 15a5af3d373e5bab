run --color=never --target macos --dry-run --cwd /Users/dev/repo --home /Users/dev --tmpdir= -c {} -- true
