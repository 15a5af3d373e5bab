# E0751: the artifacts were compiled with HTTP_PROXY set; it is not set now.
exec --color=never --bwrap fixtures/fake-bwrap-userns fixtures/art-proxy-env -- true
