# a bundled policy example through the TOML reader alone
toml-decode --color=never ../../../examples/workspace-dev.toml
