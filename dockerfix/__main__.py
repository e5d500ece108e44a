from dockerfix.cli import main

main()
