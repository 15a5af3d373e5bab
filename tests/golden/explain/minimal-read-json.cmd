explain --color=never --format json --cwd /sbxc-golden/ws --home /sbxc-golden/home --tmpdir= ../../../examples/minimal-read.toml /usr/bin/env /sbxc-golden/ws/.git/HEAD
