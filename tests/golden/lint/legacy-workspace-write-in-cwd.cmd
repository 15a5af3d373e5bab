# The legacy workspace-write form cannot keep a part of the working directory
# read-only: a file of that form inside the workspace is refused (E0720)
lint --color=never --cwd {dir}/.. --home /sbxc-golden/home --tmpdir= ../ir/legacy-workspace-write.toml
