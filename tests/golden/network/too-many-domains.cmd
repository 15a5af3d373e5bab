# More domain rules than the filtering proxy is generated for: refused.
lint --color=never --targets linux --cwd /sbxc-golden/ws --home /sbxc-golden/home --tmpdir= -
