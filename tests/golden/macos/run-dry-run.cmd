run --color=never --target macos --dry-run -P :workspace --cwd /Users/dev/repo --home /Users/dev --tmpdir= -- make test
