lint --color=never --targets windows --cwd C:\ws --home C:\Users\me --tmpdir C:\Temp {}
