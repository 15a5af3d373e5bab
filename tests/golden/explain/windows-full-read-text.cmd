# Full-disk read is the whole machine: another drive or a share is readable
# too, as under every Windows backend; writing there is not allowed.
explain --color=never -P :workspace --target windows --cwd C:\Work --home C:\Users\Me --tmpdir C:\Temp --op write D:\data\notes.txt \\srv\share\doc C:\Work\x
