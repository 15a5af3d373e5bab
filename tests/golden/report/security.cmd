lint --color=never -q --cwd /sbxc-golden/ws --home {dir}/fixtures/home --tmpdir= {}
