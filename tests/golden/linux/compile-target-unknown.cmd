# compile --target takes the names of the target table (every one of which
# has emitters now: macos, linux, windows); another name is a usage error.
compile --color=never --target plan9 -o out -P :read-only -C /work --home /home/user --tmpdir=
