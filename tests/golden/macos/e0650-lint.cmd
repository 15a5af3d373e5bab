lint --color=never --targets macos --cwd /Users/dev/repo --home /Users/dev --tmpdir= {}
