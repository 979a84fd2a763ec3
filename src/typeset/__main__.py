from typeset.entry import main

main()
