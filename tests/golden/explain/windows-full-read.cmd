# Full-disk read is the whole machine: another drive or a share is readable
# too, as under every Windows backend.
explain --color=never -P :workspace --target windows --cwd C:\Work --home C:\Users\Me --tmpdir C:\Temp --format json D:\data\notes.txt \\srv\share\doc C:\Users\Me\x
