from failsight.cli import main

main()
