run --color=never --target windows --cwd C:\ws --home C:\Users\me --tmpdir C:\Temp -c {} -- cmd.exe /c echo hi
