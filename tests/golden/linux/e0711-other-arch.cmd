# E0711: artifacts compiled for another architecture.
exec --color=never fixtures/art-arch -- true
