# compile --target takes the names of the target table; a target without
# emitters yet is a usage error naming those that have them.
compile --color=never --target windows -o out -P :read-only -C C:\\work --home C:\\Users\\user --tmpdir=
