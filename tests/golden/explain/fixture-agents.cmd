explain --color=never -P :workspace -W fixtures/repo --home /sbxc-golden/home --tmpdir= fixtures/repo/.agents/skills.md fixtures/repo/src/a.c fixtures/repo/.git/config
