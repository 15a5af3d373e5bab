# E0719: the output directory lies in the workspace the profile makes
# writable: a command run under the artifacts could rewrite them.
compile --color=never --target linux --offline -o /work/art -P :workspace -C /work --home /home/user --tmpdir=
