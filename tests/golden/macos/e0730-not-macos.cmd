run --color=never --target macos -P :read-only --cwd /tmp -- true
