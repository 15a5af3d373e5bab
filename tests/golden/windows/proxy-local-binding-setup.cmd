compile --color=never --target windows --cwd C:\ws --home C:\Users\me --tmpdir C:\Temp --proxy-env HTTPS_PROXY=http://localhost:3128 --print setup.ps1 proxy-local-binding.toml
