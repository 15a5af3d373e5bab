# embed.cmake: writes OUT, a C file defining `const char NAME[]` with the
# bytes of IN and a final NUL (cmake -DIN=... -DOUT=... -DNAME=... -P).
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT}.tmp "/* generated from ${IN} by tools/embed.cmake */\nextern const char ${NAME}[];\nconst char ${NAME}[] = {\n${bytes}0};\n")
file(RENAME ${OUT}.tmp ${OUT})
