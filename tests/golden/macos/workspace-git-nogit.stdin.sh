sh ./git-fixtures.sh
