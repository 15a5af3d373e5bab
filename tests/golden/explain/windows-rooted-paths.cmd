# `\x` is rooted on the cwd's drive (not relative to the cwd); `C:x` is
# relative to a drive's own current directory, which sbxc cannot know.
explain --color=never -P :workspace --target windows --cwd C:\Work --home C:\Users\Me --tmpdir C:\Temp \Windows\notepad.exe /x src C:rel
