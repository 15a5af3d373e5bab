explain --color=never --cwd /sbxc-golden/repo {} /sbxc-golden/repo/f /sbxc-golden/repo/a/f /sbxc-golden/repo/a/b/f /sbxc-golden/repo/.git/config /sbxc-golden/repo/.codex /sbxc-golden/other a/b/c
