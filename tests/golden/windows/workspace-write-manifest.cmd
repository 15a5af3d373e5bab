compile --color=never --target windows --cwd C:\ws --home C:\Users\me --tmpdir C:\Temp --print manifest.json workspace-write.toml
