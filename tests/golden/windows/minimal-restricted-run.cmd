compile --color=never --target windows --cwd C:\ws --home C:\Users\me --tmpdir C:\Temp --print run.ps1 minimal-restricted.toml
