# 2,000,001 array elements: one more than SBX_MAX_VALUES (generated: 4 MB)
printf 'a = ['
yes '0,' | head -n 2000000 | tr -d '\n'
printf '0]\n'
