lint --color=never --targets linux -W fixtures/link-repo --home /sbxc-golden/home --tmpdir= {}
