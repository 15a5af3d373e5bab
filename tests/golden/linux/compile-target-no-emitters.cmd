# compile --target takes the names of the target table; a target without
# emitters yet is a usage error naming those that have them.
compile --color=never --target macos -o out -P :read-only -C /work --home /home/user --tmpdir=
