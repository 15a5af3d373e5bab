# E0721: artifacts of another format version (spec/artifacts.md): refused before
# anything in them is read.
exec --color=never fixtures/art-version -- true
