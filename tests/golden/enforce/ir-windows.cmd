ir --color=never --target windows --cwd C:\ws --home C:\Users\me --tmpdir C:\Temp win-unelevated-ok.toml
